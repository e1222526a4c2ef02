// The stand-in's records in the shapes of Gameball's document (types generated from it): what a
// partner codes against carries Gameball's field names and nothing Gameball never sends; a field
// with nothing to say (no expiry, no currency) is left out, as Gameball's document types them as
// strings, never null.
import type { CouponKind } from '../core/config/coupon-configuration.ts';
import type { components } from '../openapi/generated/gameball.ts';
import { isPast } from './dates.ts';
import type { CouponRecord } from './lifecycle/records.ts';
import { pointValue, type RedemptionRule } from './lifecycle/redemption-rules.ts';

type Schemas = components['schemas'];

/**
 * Gameball's names for the kinds the custom engine creates, in each of its shapes. `custom` is named
 * by Gameball's coupon entity; its rule type and validation type are *inference*.
 */
const names: Record<
  CouponKind,
  {
    ruleType: string;
    ruleCouponType: string;
    customerCouponType: NonNullable<Schemas['CustomerCoupon']['type']>;
    couponType: NonNullable<Schemas['Coupon']['type']>;
  }
> = {
  percentage: {
    ruleType: 'percentage_discount_settings',
    ruleCouponType: 'percentage_discount',
    customerCouponType: 'Percentage',
    couponType: 'percentage',
  },
  fixed: {
    ruleType: 'fixed_rate_settings',
    ruleCouponType: 'fixed_discount',
    customerCouponType: 'Fixed Rate Discount',
    couponType: 'fixed',
  },
  freeShipping: {
    ruleType: 'free_shipping_settings',
    ruleCouponType: 'free_shipping',
    customerCouponType: 'Free Shipping',
    couponType: 'shipping',
  },
  freeProduct: {
    ruleType: 'free_product_settings',
    ruleCouponType: 'free_product',
    customerCouponType: 'Free Product',
    couponType: 'product',
  },
  custom: {
    ruleType: 'custom_settings',
    ruleCouponType: 'custom',
    customerCouponType: 'Custom',
    couponType: 'custom',
  },
};

/** The store's currency (*inference*: Gameball answers with the account's currency). */
const currency = 'USD';

export function presentRule(rule: RedemptionRule): Schemas['RedemptionRule'] {
  return {
    id: rule.id,
    pointsToRedeem: rule.pointsToRedeem,
    valueOfPoint: pointValue,
    ruleType: names[rule.kind].ruleType,
    coupon: {
      couponType: rule.couponType ?? names[rule.kind].ruleCouponType,
      ...(rule.kind === 'percentage' || rule.kind === 'fixed' ? { discountValue: rule.value } : {}),
      ...(rule.product ? { product: rule.product } : {}),
      ...(rule.collections ? { collections: rule.collections } : {}),
      options: {
        name: rule.name,
        expiryAfter: rule.expiryAfter,
        usageLimit: rule.usageLimit,
        minOrderValue: rule.minOrderValue,
        codePrefix: rule.codePrefix,
        redeemInstructions: rule.redeemInstructions,
      },
    },
    image: rule.image,
    creationDate: rule.creationDate,
    isActive: true,
  };
}

export function presentCustomerCoupon(coupon: CouponRecord, now: Date): Schemas['CustomerCoupon'] {
  const isExpired = coupon.expiryDate !== null && isPast(coupon.expiryDate, now);
  const used = coupon.status === 'burnt' ? 1 : 0;
  return {
    name: coupon.name,
    code: coupon.code,
    value: coupon.value,
    type: names[coupon.kind].customerCouponType,
    // Coupons from points and campaigns are rewards (*inference* among Gameball's targets).
    target: 'Reward',
    ...(coupon.kind === 'fixed' ? { currency } : {}),
    startDate: coupon.startDate,
    ...(coupon.expiryDate !== null ? { expiryDate: coupon.expiryDate } : {}),
    isExpired,
    isActive: coupon.status !== 'burnt' && !isExpired,
    usageLimit: coupon.usageLimit,
    limitPerCustomer: 1,
    usedCount: used,
    customerUsedCount: used,
    isAvailableToUse: coupon.status === 'active' && !isExpired,
  };
}

/** A coupon as the validate operations answer it. */
export function presentValidatedCoupon(coupon: CouponRecord): Schemas['Coupon'] {
  return {
    code: coupon.code,
    type: names[coupon.kind].couponType,
    value: coupon.value,
    usageLimit: coupon.usageLimit,
    limitPerCustomer: 1,
    startDate: coupon.startDate,
    ...(coupon.expiryDate !== null ? { expiryDate: coupon.expiryDate } : {}),
    minOrderValue: coupon.minOrderValue,
    entitledProductIds: coupon.entitledProductIds,
    entitledCollectionIds: coupon.entitledCollectionIds,
  };
}
