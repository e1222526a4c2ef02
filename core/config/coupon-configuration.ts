// Types of the coupon configuration, straight from the contract.
import type { components } from '../../openapi/generated/gameball.ts';

export type CouponConfiguration = components['schemas']['CouponConfiguration'];
export type CouponConfigurationUpdate = components['schemas']['CouponConfigurationUpdate'];
export type CouponMapping = components['schemas']['CouponMapping'];

/** Gameball's own names for the four coupon types the custom engine supports (the keys of couponMapping). */
export type GameballCouponKind = keyof Required<CouponMapping>;

export const couponKinds: readonly GameballCouponKind[] = ['percentage', 'fixed', 'freeShipping', 'freeProduct'];

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
