// The redemption rules the stand-in offers, from redemption-rules.json (data, not code). When the
// starting balance is below every rule, one more rule at exactly that balance is offered, so a
// new customer can always redeem something without setup.
import { readFileSync } from 'node:fs';
import type { GameballCouponKind } from '../../harness/config/coupon-configuration.ts';

export interface RedemptionRule {
  id: number;
  name: string;
  pointsToRedeem: number;
  kind: GameballCouponKind;
  value: number;
  expiryAfter: number;
  usageLimit: number;
  minOrderValue: number;
  codePrefix: string;
  productIds: string[];
  collectionIds: string[];
  redeemInstructions: string;
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
      productIds: [],
      collectionIds: [],
      redeemInstructions: 'Enter the code at checkout.',
    },
  ];
}
