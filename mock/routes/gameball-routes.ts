// The operations of Gameball's document the stand-in owns, with real state behind them. Bodies
// arrive validated against the document's request schemas (see start-mock.ts).
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { normaliseConfiguration } from '../../core/config-file/normalise-configuration.ts';
import { ConfigError } from '../../core/errors.ts';
import type { components } from '../../openapi/generated/gameball.ts';
import { configurationAnswer } from '../configuration-answer.ts';
import { invalidValue, notFound } from '../errors.ts';
import { burnCoupons, customerCoupons, releaseLock, validateCoupons } from '../lifecycle/coupon-use.ts';
import { findOrCreateCustomer, knownCustomer, upsertCustomer } from '../lifecycle/customers.ts';
import { redeemRule } from '../lifecycle/issue-coupon.ts';
import { redeemPoints, trackOrder } from '../lifecycle/orders.ts';
import { pointValue, redemptionRules } from '../lifecycle/redemption-rules.ts';
import { presentCustomerCoupon, presentRule, presentValidatedCoupon } from '../present.ts';
import type { Route } from './route.ts';

type OrderLineItem = components['schemas']['OrderLineItem'];

const base = '/api/v4.0/integrations';

// Bodies are validated before a handler runs; these are the fields the handlers read.
type Fields = Record<string, unknown>;
const text = (body: unknown, key: string): string => (body as Fields)[key] as string;
const optional = <T>(body: unknown, key: string): T | undefined => (body as Fields)[key] as T | undefined;

export const gameballRoutes: Route[] = [
  {
    method: 'GET',
    template: `${base}/configurations/coupon`,
    handler: (_request, context) => {
      const config = context.store.get<CouponConfiguration>('configuration', 'coupon');
      if (!config) {
        throw notFound('No coupon configuration yet: PUT one to /api/v4.0/integrations/configurations/coupon first.');
      }
      return { body: configurationAnswer(config, context.settings) };
    },
  },
  {
    method: 'PUT',
    template: `${base}/configurations/coupon`,
    handler: (request, context) => {
      let config: CouponConfiguration;
      try {
        // The tutorial shapes Gameball's docs show are stored in the canonical shape.
        config = normaliseConfiguration(request.body, 'The coupon configuration').config;
      } catch (error) {
        if (error instanceof ConfigError) throw invalidValue(error.message);
        throw error;
      }
      context.store.put('configuration', 'coupon', config);
      return { body: undefined };
    },
  },
  {
    method: 'GET',
    template: `${base}/configurations/redemption`,
    handler: (request, context) => {
      const customerId = request.query.get('customerId');
      if (customerId) findOrCreateCustomer(context, customerId);
      return {
        body: {
          redemptionFactor: pointValue,
          redemptionRules: redemptionRules(context.settings.startingPoints).map((rule) => presentRule(rule)),
        },
      };
    },
  },
  {
    method: 'POST',
    template: `${base}/coupons/predefined`,
    handler: async (request, context) => {
      const customerId = text(request.body, 'customerId');
      const { coupon } = await redeemRule(context, customerId, optional<number>(request.body, 'ruleId')!);
      return {
        body: { code: coupon.code, startDate: coupon.startDate, expiryDate: coupon.expiryDate, url: null, pin: null },
      };
    },
  },
  {
    method: 'POST',
    template: `${base}/transactions/redeem`,
    handler: (request, context) => {
      const body = request.body as Fields;
      return {
        body: redeemPoints(context, {
          customerId: text(body, 'customerId'),
          transactionId: text(body, 'transactionId'),
          ...(typeof body.points === 'number' ? { points: body.points } : {}),
          ...(typeof body.amount === 'number' ? { amount: body.amount } : {}),
          ...(typeof body.holdReference === 'string' ? { holdReference: body.holdReference } : {}),
          ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
        }),
      };
    },
  },
  {
    method: 'GET',
    template: `${base}/customers/{customerId}/coupons`,
    handler: (request, context) => {
      const now = context.now();
      knownCustomer(context, request.params.customerId!);
      return {
        body: {
          coupons: customerCoupons(context, request.params.customerId!).map((c) => presentCustomerCoupon(c, now)),
        },
      };
    },
  },
  {
    method: 'POST',
    template: `${base}/coupons/{code}/validate`,
    handler: (request, context) => {
      const validation = validateCoupons(context, {
        customerId: text(request.body, 'customerId'),
        codes: [request.params.code!],
        ...lockOptions(request.body),
      });
      return {
        body: {
          valid: true,
          coupon: presentValidatedCoupon(validation.coupons[0]!),
          lockReference: validation.lock?.lockReference ?? null,
          dateToExpire: validation.lock?.expiresAt ?? null,
        },
      };
    },
  },
  {
    method: 'POST',
    template: `${base}/coupons/validate`,
    handler: (request, context) => {
      const validation = validateCoupons(context, {
        customerId: text(request.body, 'customerId'),
        codes: optional<string[]>(request.body, 'coupons') ?? [],
        ...lockOptions(request.body),
      });
      return {
        body: {
          valid: true,
          coupons: validation.coupons.map(presentValidatedCoupon),
          lockReference: validation.lock?.lockReference ?? null,
          dateToExpire: validation.lock?.expiresAt ?? null,
        },
      };
    },
  },
  {
    method: 'POST',
    template: `${base}/coupons/burn`,
    handler: (request, context) => {
      const coupons = optional<string[]>(request.body, 'coupons');
      const lockReference = optional<string>(request.body, 'lockReference');
      const burn = burnCoupons(context, {
        customerId: text(request.body, 'customerId'),
        ...(coupons ? { coupons } : {}),
        ...(lockReference !== undefined ? { lockReference } : {}),
      });
      return { body: { success: true, burnedAt: burn.burnedAt } };
    },
  },
  {
    method: 'DELETE',
    template: `${base}/coupons/{lockReference}`,
    handler: (request, context) => {
      const release = releaseLock(context, request.params.lockReference!);
      return {
        body: { success: true, releasedAt: release.releasedAt, releasedCoupons: release.coupons.map((c) => c.code) },
      };
    },
  },
  {
    method: 'POST',
    template: `${base}/orders`,
    handler: (request, context) => {
      const body = request.body as Fields;
      const redemption = (body.redemption ?? {}) as Fields;
      const order = trackOrder(context, {
        customerId: text(body, 'customerId'),
        orderId: text(body, 'orderId'),
        totalPaid: body.totalPaid as number,
        ...(typeof redemption.couponsLockReference === 'string'
          ? { couponsLockReference: redemption.couponsLockReference }
          : {}),
        ...(Array.isArray(redemption.couponCodes) ? { couponCodes: redemption.couponCodes as string[] } : {}),
        ...(typeof redemption.pointsHoldReference === 'string'
          ? { pointsHoldReference: redemption.pointsHoldReference }
          : {}),
        ...(Array.isArray(body.lineItems) ? { lineItems: body.lineItems as OrderLineItem[] } : {}),
      });
      return {
        body: {
          customerId: order.customerId,
          redeemedPoints: order.redeemedPoints,
          rewardedPoints: order.rewardedPoints,
          lineItems: order.lineItems,
        },
      };
    },
  },
  {
    method: 'POST',
    template: `${base}/customers`,
    handler: (request, context) => {
      const attributes = (optional<Fields>(request.body, 'customerAttributes') ?? {}) as {
        displayName?: string;
        email?: string;
        mobile?: string;
      };
      const customer = upsertCustomer(context, text(request.body, 'customerId'), attributes);
      return { body: { gameballId: customer.gameballId } };
    },
  },
];

function lockOptions(body: unknown): { lock?: boolean; lockReference?: string; lockDuration?: number } {
  const lock = optional<boolean>(body, 'lock');
  const lockReference = optional<string>(body, 'lockReference');
  const lockDuration = optional<number>(body, 'lockDuration');
  return {
    ...(lock !== undefined ? { lock } : {}),
    ...(lockReference !== undefined ? { lockReference } : {}),
    ...(lockDuration !== undefined ? { lockDuration } : {}),
  };
}
