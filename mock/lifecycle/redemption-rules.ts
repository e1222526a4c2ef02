// The redemption rules the stand-in offers, from redemption-rules.json (data, not code). When the
// starting balance is below every rule, one more rule at exactly that balance is offered, so a
// new customer can always redeem something without setup. A rule may name its type as Gameball's
// coupon entity does (`couponType`): `fixed_rate_discount` is a fixed coupon, and `custom` a
// custom one, which reaches the merchant as `custom` (*inference*: undocumented).
import { readFileSync } from 'node:fs';
import type { CouponKind } from '../../core/config/coupon-configuration.ts';
import type { components } from '../../openapi/generated/gameball.ts';

type RuleCoupon = components['schemas']['RedemptionRuleCoupon'];

export interface RedemptionRule {
  id: number;
  name: string;
  pointsToRedeem: number;
  kind: CouponKind;
  /** Gameball's name of the type, where it is not the kind's usual one (`fixed_rate_discount`). */
  couponType?: string;
  value: number;
  expiryAfter: number;
  usageLimit: number;
  minOrderValue: number;
  codePrefix: string;
  redeemInstructions: string;
  /** The product a free-product rule gives, in Gameball's shape. */
  product?: RuleCoupon['product'];
  collections?: RuleCoupon['collections'];
  image: string;
  creationDate: string;
}

/** The ids the merchant's delivery carries (entitledProductIds, entitledCollectionIds). */
export function entitledIds(rule: RedemptionRule): { products: string[]; collections: string[] } {
  return {
    products: rule.product?.productId ? [rule.product.productId] : [],
    collections: (rule.collections ?? []).flatMap((c) => (c.collectionId ? [c.collectionId] : [])),
  };
}

const seeded = JSON.parse(
  readFileSync(new URL('../redemption-rules.json', import.meta.url), 'utf8'),
) as RedemptionRule[];

/** What one point is worth in the store's currency (Gameball's redemptionFactor; *inference* on the value). */
export const pointValue = 0.1;

export function redemptionRules(startingPoints: number): RedemptionRule[] {
  const cheapest = Math.min(...seeded.map((rule) => rule.pointsToRedeem));
  if (startingPoints <= 0 || startingPoints >= cheapest) return seeded;
  return [
    ...seeded,
    {
      id: 1099,
      name: `5% off for ${startingPoints} points`,
      pointsToRedeem: startingPoints,
      kind: 'percentage',
      value: 5,
      expiryAfter: 30,
      usageLimit: 1,
      minOrderValue: 0,
      codePrefix: 'GB5',
      redeemInstructions: 'Enter the code at checkout.',
      image: 'https://cdn.example.com/rewards/five-percent.webp',
      creationDate: '2026-09-01T10:12:16Z',
    },
  ];
}
