// The merchant's side of `couponType`: what kind of discount each delivered type becomes in the
// shop. This is the default couponMapping of the project (fixed_discount, percentage_discount,
// free_product, free_delivery), plus Gameball's `custom`, which couponMapping cannot map (what it
// means is undocumented: the shop records it as custom); a merchant with other names or other kinds
// changes this table, and the compiler insists that every type the contract lists has an entry.
import type { CouponType } from './delivery.ts';

export type DiscountKind = 'percentage' | 'fixed_amount' | 'free_shipping' | 'free_product' | 'custom';

export const discountKinds = {
  percentage_discount: 'percentage',
  fixed_discount: 'fixed_amount',
  free_delivery: 'free_shipping',
  free_product: 'free_product',
  custom: 'custom',
} as const satisfies Record<CouponType, DiscountKind>;

export function discountKind(type: CouponType): DiscountKind {
  return discountKinds[type];
}
