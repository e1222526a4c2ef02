// A coupon comes into being two ways: a customer redeems a rule's points (POST /coupons/predefined)
// or a campaign awards one (POST /__gb/campaigns/award). With a coupon configuration stored, Gameball
// asks the merchant's endpoint to create it first, and only a 200 carrying the code makes it exist;
// otherwise no coupon is stored and no points are spent. Without a configuration, Gameball's own
// engine creates it.
//
// A redemption runs in three steps. In the customer's queue: the rule's points are held in the
// ledger and the code is recorded as issued (so no other request can spend those points, and no
// restart or seed can issue the code again). Out of the queue: the merchant is called. In the queue
// again: on success the hold becomes the spend in the same transaction that stores the coupon; on
// failure the hold is released. A redemption cut short by a crash leaves its hold pending, and the
// next start releases it (recoverRedemptions).
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
import { customerNotFound, invalidValue, merchantFailed } from '../errors.ts';
import { deliverCoupon } from '../merchant/deliver-coupon.ts';
import { findOrCreateCustomer } from './customers.ts';
import { isHolding, placeHold, releaseHold, spendHold } from './holds.ts';
import { worth } from './ledger.ts';
import type { CouponRecord, HoldRecord, IssuedCode, PendingRedemption } from './records.ts';
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
  return issueCoupon(context, {
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
  const reserved = await context.serialise(wanted.customerId, () => reserve(context, wanted));
  const { hold } = reserved;
  let { code } = reserved;
  let deliveryId: string | undefined;
  if (config) {
    const delivery = await deliverCoupon(context, config, deliveryValues(wanted, code), wanted.reason, heldBy(context));
    deliveryId = delivery.id;
    if (!delivery.accepted) {
      await context.serialise(wanted.customerId, () => abandon(context, code, hold));
      const spent = wanted.points > 0 ? ' and no points were spent' : '';
      throw merchantFailed(
        `${delivery.verdict} No coupon was created${spent}. The call is delivery ${delivery.id} in GET /__gb/deliveries.`,
      );
    }
    // Gameball's code; without {{code}} in the template the coupon takes the merchant's instead.
    code = delivery.code ?? code;
  }
  const coupon = await context.serialise(wanted.customerId, () =>
    store(context, couponRecord(context, wanted, code, config !== undefined), hold),
  );
  return { coupon, ...(deliveryId ? { deliveryId } : {}) };
}

/** Step one: the customer exists, the code is issued, the points are held (all or nothing). */
function reserve(context: MockContext, wanted: CouponToIssue): { code: string; hold?: HoldRecord } {
  return context.store.transaction(() => {
    findOrCreateCustomer(context, wanted.customerId);
    const code = context.nextCode(wanted.codePrefix);
    const at = context.now().toISOString();
    context.store.put('issued-code', code, { code, customerId: wanted.customerId, at } satisfies IssuedCode);
    if (wanted.points <= 0) return { code };
    const hold = placeHold(
      context,
      wanted.customerId,
      wanted.points,
      null,
      `Redeeming rule ${wanted.ruleId} for ${code}`,
    );
    const pending: PendingRedemption = {
      holdReference: hold.holdReference,
      customerId: wanted.customerId,
      code,
      startedAt: at,
    };
    context.store.put('pending-redemption', hold.holdReference, pending);
    return { code, hold };
  });
}

/** The merchant did not create the coupon: the held points are the customer's again. */
function abandon(context: MockContext, code: string, hold: HoldRecord | undefined): void {
  if (!hold) return;
  context.store.transaction(() => {
    const current = context.store.get<HoldRecord>('hold', hold.holdReference);
    if (current && isHolding(context, current)) releaseHold(context, current, `The merchant did not create ${code}.`);
    context.store.delete('pending-redemption', hold.holdReference);
  });
}

/** Step three: the coupon is stored and, in the same transaction, its held points spent. */
function store(context: MockContext, coupon: CouponRecord, hold: HoldRecord | undefined): CouponRecord {
  const current = hold ? context.store.get<HoldRecord>('hold', hold.holdReference) : undefined;
  if (hold && (!current || !isHolding(context, current))) {
    // Only a deletion of the customer ends a redemption's hold meanwhile.
    context.store.delete('pending-redemption', hold.holdReference);
    throw customerNotFound(coupon.customerId);
  }
  const taken = context.store.get<CouponRecord>('coupon', coupon.code);
  if (taken) {
    // A merchant's code that another redemption stored while this one waited for the merchant.
    abandon(context, coupon.code, current);
    throw merchantFailed(
      `The merchant answered with code ${coupon.code}, which the coupon of customer ${taken.customerId} holds already. No coupon was created and no points were spent.`,
    );
  }
  return context.store.transaction(() => {
    if (hold && current) {
      spendHold(context, current, {
        transactionType: 'Redemption',
        couponCode: coupon.code,
        amount: worth(current.points),
        reason: `Coupon ${coupon.code}: ${coupon.name}`,
      });
      context.store.delete('pending-redemption', hold.holdReference);
    }
    context.store.put('coupon', coupon.code, coupon);
    if (coupon.createdBy === 'merchant' && !context.store.get('issued-code', coupon.code)) {
      // The merchant's own code (a template without {{code}}) is issued too: no reset or seed may
      // propose it to the merchant again, nor the merchant give it to another coupon.
      const issued: IssuedCode = {
        code: coupon.code,
        customerId: coupon.customerId,
        at: coupon.createdAt,
        byMerchant: true,
      };
      context.store.put('issued-code', coupon.code, issued);
    }
    return coupon;
  });
}

/**
 * Who holds a code the merchant sent back already (deliver-coupon refuses it then): a coupon, or a
 * code the merchant gave before, which a reset of the stand-in forgets the coupon of, not the code.
 */
function heldBy(context: MockContext): (merchantCode: string) => string | undefined {
  return (merchantCode) => {
    const coupon = context.store.get<CouponRecord>('coupon', merchantCode);
    if (coupon) return `the coupon of customer ${coupon.customerId}, created ${coupon.createdAt}`;
    const issued = context.store.get<IssuedCode>('issued-code', merchantCode);
    return issued?.byMerchant && `the code the merchant gave customer ${issued.customerId} at ${issued.at}`;
  };
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

function couponRecord(context: MockContext, wanted: CouponToIssue, code: string, byMerchant: boolean): CouponRecord {
  const now = context.now();
  return {
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
    createdBy: byMerchant ? 'merchant' : 'gameball',
    createdAt: now.toISOString(),
  };
}

/**
 * At start: redemptions a previous process left waiting for the merchant (it stopped or crashed
 * during the call) never answered 200, so their held points are released; their codes stay issued.
 */
export function recoverRedemptions(context: MockContext): void {
  for (const pending of context.store.list<PendingRedemption>('pending-redemption')) {
    context.store.transaction(() => {
      const hold = context.store.get<HoldRecord>('hold', pending.holdReference);
      if (hold?.status === 'active') {
        releaseHold(context, hold, `The stand-in restarted while the merchant was creating ${pending.code}.`);
      }
      context.store.delete('pending-redemption', pending.holdReference);
    });
  }
}
