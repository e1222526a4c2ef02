// A coupon comes into being two ways: a customer redeems a rule's points (POST /coupons/predefined)
// or a campaign awards one (POST /__gb/campaigns/award). With a coupon configuration stored, Gameball
// asks the merchant's endpoint to create it first, and only a 200 carrying the code makes it exist;
// otherwise nothing is stored and no points are spent. Without a configuration, Gameball's own
// engine creates it.
import {
  type CouponConfiguration,
  type CouponKind,
  enableFlagOf,
  type GameballCouponKind,
} from '../../core/config/coupon-configuration.ts';
import type { CouponValues } from '../../core/render/render-delivery.ts';
import type { MockContext } from '../context.ts';
import { isoAfter } from '../dates.ts';
import type { DeliveryReason } from '../delivery-record.ts';
import { invalidValue, merchantFailed } from '../errors.ts';
import { deliverCoupon } from '../merchant/deliver-coupon.ts';
import { changePoints, findOrCreateCustomer, holdPoints } from './customers.ts';
import type { CouponRecord } from './records.ts';
import { entitledIds, redemptionRules } from './redemption-rules.ts';

const dayMs = 24 * 60 * 60 * 1000;

interface IssuedCoupon {
  coupon: CouponRecord;
  /** The merchant call, when the custom coupon engine made one. */
  deliveryId?: string;
}

export async function redeemRule(context: MockContext, customerId: string, ruleId: number): Promise<IssuedCoupon> {
  const rules = redemptionRules(context.settings.startingPoints);
  const rule = rules.find((r) => r.id === ruleId);
  if (!rule) {
    throw invalidValue(
      `Invalid value for ruleId: there is no redemption rule ${ruleId} (the rules are ${rules.map((r) => r.id).join(', ')}).`,
    );
  }
  const release = holdPoints(context, customerId, rule.pointsToRedeem);
  try {
    return await issueCoupon(context, {
      customerId,
      kind: rule.kind,
      name: rule.name,
      value: rule.value,
      expiresAfter: rule.expiryAfter,
      usageLimit: rule.usageLimit,
      minOrderValue: rule.minOrderValue,
      entitledProductIds: entitledIds(rule).products,
      entitledCollectionIds: entitledIds(rule).collections,
      source: 'Points Redemption',
      codePrefix: rule.codePrefix,
      ruleId: rule.id,
      points: rule.pointsToRedeem,
      reason: 'redemption',
    });
  } finally {
    release();
  }
}

interface CampaignAward {
  customerId: string;
  couponType: GameballCouponKind;
  value: number;
  expiresAfter?: number;
  minOrderValue?: number;
  source?: string;
  name?: string;
}

const campaignPrefix: Record<GameballCouponKind, string> = {
  percentage: 'GBP',
  fixed: 'GB',
  freeShipping: 'GBSHIP',
  freeProduct: 'GBGIFT',
};

export async function awardCampaign(context: MockContext, award: CampaignAward): Promise<IssuedCoupon> {
  const prefix = award.couponType === 'fixed' ? `GB${Math.round(award.value)}` : campaignPrefix[award.couponType];
  return issueCoupon(context, {
    customerId: award.customerId,
    kind: award.couponType,
    name: award.name ?? campaignName(award),
    value: award.value,
    expiresAfter: award.expiresAfter ?? 14,
    usageLimit: 1,
    minOrderValue: award.minOrderValue ?? 0,
    entitledProductIds: [],
    entitledCollectionIds: [],
    source: award.source ?? 'Rewards Campaign Reward- Complete a Mission',
    codePrefix: prefix,
    points: 0,
    reason: 'campaign',
  });
}

function campaignName(award: CampaignAward): string {
  switch (award.couponType) {
    case 'fixed':
      return `${award.value} off`;
    case 'percentage':
      return `${award.value}% off`;
    case 'freeShipping':
      return 'Free shipping';
    case 'freeProduct':
      return 'Free product';
  }
}

interface CouponToIssue {
  customerId: string;
  kind: CouponKind;
  name: string;
  value: number;
  expiresAfter: number;
  usageLimit: number;
  minOrderValue: number;
  entitledProductIds: string[];
  entitledCollectionIds: string[];
  source: string;
  codePrefix: string;
  ruleId?: number;
  /** Points it costs (0 for a campaign reward). */
  points: number;
  reason: DeliveryReason;
}

async function issueCoupon(context: MockContext, wanted: CouponToIssue): Promise<IssuedCoupon> {
  const config = context.store.get<CouponConfiguration>('configuration', 'coupon');
  // A custom coupon has no enable flag (*inference*: couponMapping has no key for it either).
  const flag = wanted.kind === 'custom' ? undefined : enableFlagOf[wanted.kind];
  if (config && flag && config[flag] === false) {
    throw invalidValue(
      `The coupon configuration has ${flag}: false, so Gameball cannot create ${wanted.kind} coupons through the merchant's endpoint.`,
    );
  }
  findOrCreateCustomer(context, wanted.customerId);
  // Gameball's code; without {{code}} in the template the coupon takes the merchant's instead.
  let code = context.nextCode(wanted.codePrefix);
  let deliveryId: string | undefined;
  if (config) {
    const held = (merchantCode: string): string | undefined => {
      const coupon = context.store.get<CouponRecord>('coupon', merchantCode);
      return coupon && `the coupon of customer ${coupon.customerId}, created ${coupon.createdAt}`;
    };
    const delivery = await deliverCoupon(context, config, deliveryValues(wanted, code), wanted.reason, held);
    if (!delivery.accepted) {
      const spent = wanted.points > 0 ? ' and no points were spent' : '';
      throw merchantFailed(
        `${delivery.verdict} No coupon was created${spent}. The call is delivery ${delivery.id} in GET /__gb/deliveries.`,
      );
    }
    deliveryId = delivery.id;
    code = delivery.code ?? code;
  }
  const now = context.now();
  const coupon: CouponRecord = {
    code,
    customerId: wanted.customerId,
    name: wanted.name,
    kind: wanted.kind,
    value: wanted.value,
    source: wanted.source,
    ...(wanted.ruleId !== undefined ? { ruleId: wanted.ruleId } : {}),
    startDate: now.toISOString(),
    expiryDate: wanted.expiresAfter > 0 ? isoAfter(now, wanted.expiresAfter * dayMs, 'expiresAfter') : null,
    usageLimit: wanted.usageLimit,
    minOrderValue: wanted.minOrderValue,
    entitledProductIds: wanted.entitledProductIds,
    entitledCollectionIds: wanted.entitledCollectionIds,
    status: 'active',
    createdBy: config ? 'merchant' : 'gameball',
    createdAt: now.toISOString(),
  };
  context.store.transaction(() => {
    if (wanted.points > 0) changePoints(context, wanted.customerId, -wanted.points);
    context.store.put('coupon', code, coupon);
  });
  return { coupon, ...(deliveryId ? { deliveryId } : {}) };
}

/** What the merchant's template is filled with for this coupon. */
function deliveryValues(wanted: CouponToIssue, code: string): CouponValues {
  return {
    couponKind: wanted.kind,
    playerUniqueId: wanted.customerId,
    code,
    value: wanted.value,
    expiresAfter: wanted.expiresAfter,
    usageLimit: wanted.usageLimit,
    oncePerCustomer: true,
    minOrderValue: wanted.minOrderValue,
    entitledProductIds: wanted.entitledProductIds,
    entitledCollectionIds: wanted.entitledCollectionIds,
    source: wanted.source,
  };
}
