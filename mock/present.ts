// The stand-in's records in the shapes of Gameball's document: what a partner codes against must
// carry Gameball's field names and nothing Gameball never sends.
import type { GameballCouponKind } from '../harness/config/coupon-configuration.ts';
import type { CouponRecord } from './lifecycle/records.ts';
import { pointValue, type RedemptionRule } from './lifecycle/redemption-rules.ts';

/** Gameball's coupon `type` names for the four kinds the custom engine creates. */
const couponTypeOf: Record<GameballCouponKind, string> = {
  percentage: 'percentage',
  fixed: 'fixed',
  freeShipping: 'shipping',
  freeProduct: 'product',
};

/** Gameball's rule `couponType` names (redemption rules). */
const ruleCouponTypeOf: Record<GameballCouponKind, string> = {
  percentage: 'percentage_discount',
  fixed: 'fixed_discount',
  freeShipping: 'free_shipping',
  freeProduct: 'free_product',
};

/** The store's currency (*inference*: Gameball answers with the account's currency). */
export const currency = 'USD';

export function presentRule(rule: RedemptionRule, creationDate: string) {
  return {
    id: rule.id,
    pointsToRedeem: rule.pointsToRedeem,
    valueOfPoint: pointValue,
    ruleType: 'coupon',
    coupon: {
      couponType: ruleCouponTypeOf[rule.kind],
      discountValue: rule.value,
      product: rule.productIds[0] ?? null,
      collections: rule.collectionIds,
      group: null,
      options: {
        name: rule.name,
        expiryAfter: rule.expiryAfter,
        usageLimit: rule.usageLimit,
        capping: null,
        minOrderValue: rule.minOrderValue,
        codePrefix: rule.codePrefix,
        redeemInstructions: rule.redeemInstructions,
      },
    },
    image: null,
    creationDate,
    isActive: true,
  };
}

export function presentCustomerCoupon(coupon: CouponRecord, now: Date) {
  const isExpired = coupon.expiryDate !== null && coupon.expiryDate <= now.toISOString();
  const used = coupon.status === 'burnt' ? 1 : 0;
  return {
    name: coupon.name,
    code: coupon.code,
    value: coupon.value,
    type: couponTypeOf[coupon.kind],
    target: coupon.kind === 'freeProduct' ? 'product' : coupon.kind === 'freeShipping' ? 'shipping' : 'order',
    currency,
    startDate: coupon.startDate,
    expiryDate: coupon.expiryDate,
    isExpired,
    isActive: coupon.status !== 'burnt' && !isExpired,
    usageLimit: coupon.usageLimit,
    limitPerCustomer: 1,
    usedCount: used,
    customerUsedCount: used,
    isAvailableToUse: coupon.status === 'active' && !isExpired,
    iconPath: null,
  };
}

/** A coupon as the validate operations answer it. */
export function presentValidatedCoupon(coupon: CouponRecord) {
  return {
    code: coupon.code,
    type: couponTypeOf[coupon.kind],
    value: coupon.value,
    usageLimit: coupon.usageLimit,
    limitPerCustomer: 1,
    startDate: coupon.startDate,
    expiryDate: coupon.expiryDate,
    capping: null,
    minReward: null,
    minOrderValue: coupon.minOrderValue,
    entitledProductIds: coupon.entitledProductIds,
    entitledCollectionIds: coupon.entitledCollectionIds,
    combinesWith: null,
  };
}
