// Types of the coupon configuration, straight from the contract.
import type { components } from '../../openapi/generated/gameball.ts';

export type CouponConfiguration = components['schemas']['CouponConfiguration'];
export type CouponConfigurationUpdate = components['schemas']['CouponConfigurationUpdate'];
export type CouponMapping = components['schemas']['CouponMapping'];

/** Gameball's own names for the four coupon types the custom engine supports (the keys of couponMapping). */
export type GameballCouponKind = keyof Required<CouponMapping>;

export const couponKinds: readonly GameballCouponKind[] = ['percentage', 'fixed', 'freeShipping', 'freeProduct'];

/**
 * Every coupon type a delivery can be for: the four of couponMapping, and Gameball's `custom`, which
 * its coupon entity names but couponMapping has no key (nor an enable flag) for. What a delivery
 * carries for it is undocumented: the kit sends `custom` as the type (*inference*).
 */
export type CouponKind = GameballCouponKind | 'custom';

/**
 * Gameball's own names of coupon types (a redemption rule's `couponType`) as kinds:
 * `fixed_rate_discount` is a fixed coupon, as `fixed_discount` is; undefined for a name Gameball does
 * not use.
 */
export function couponKindOfType(name: string): CouponKind | undefined {
  const kinds: Record<string, CouponKind> = {
    percentage_discount: 'percentage',
    fixed_discount: 'fixed',
    fixed_rate_discount: 'fixed',
    free_shipping: 'freeShipping',
    free_product: 'freeProduct',
    custom: 'custom',
  };
  return Object.hasOwn(kinds, name) ? kinds[name] : undefined;
}

/** The `enable*` flag that switches each kind on. */
export const enableFlagOf: Record<
  GameballCouponKind,
  'enablePercentage' | 'enableFixedRate' | 'enableFreeShipping' | 'enableFreeProduct'
> = {
  percentage: 'enablePercentage',
  fixed: 'enableFixedRate',
  freeShipping: 'enableFreeShipping',
  freeProduct: 'enableFreeProduct',
};
