// Gameball's coupon operations, with real state: the coupon configuration, the redemption options,
// a rule's points for a coupon (the merchant's endpoint called), the customer's coupons, and a
// coupon at checkout (validated and locked, burnt, released), and the cart's automatic coupons.
// Answers carry only what Gameball's document types them with: a field with nothing to say is left
// out, never null where the document says string.
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { normaliseConfiguration } from '../../core/config-file/normalise-configuration.ts';
import { ConfigError } from '../../core/errors.ts';
import type { components } from '../../openapi/generated/gameball.ts';
import { configurationAnswer } from '../configuration-answer.ts';
import { invalidValue, notFound } from '../errors.ts';
import { burnCoupons, customerCoupons, releaseLock, validateCoupons } from '../lifecycle/coupon-use.ts';
import { findOrCreateCustomer, knownCustomer } from '../lifecycle/customers.ts';
import { redeemRule } from '../lifecycle/issue-coupon.ts';
import { applyAutomaticCoupons } from '../lifecycle/order-previews.ts';
import type { LockRecord } from '../lifecycle/records.ts';
import { pointValue, redemptionRules } from '../lifecycle/redemption-rules.ts';
import { presentCustomerCoupon, presentRule, presentValidatedCoupon } from '../present.ts';
import type { Route } from './route.ts';

type Schemas = components['schemas'];

const base = '/api/v4.0/integrations';

/** The lock a validation took, in the answer's fields; nothing when it took none. */
const lockFields = (lock: LockRecord | undefined) =>
  lock ? { lockReference: lock.lockReference, dateToExpire: lock.expiresAt } : {};

export const couponRoutes: Route[] = [
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
    handler: async (request, context) => {
      const customerId = request.query.get('customerId');
      if (customerId) await context.serialise(customerId, () => findOrCreateCustomer(context, customerId));
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
      const body = request.body as Schemas['GenerateCouponRequest'];
      const { coupon } = await redeemRule(context, body.customerId, body.ruleId);
      const answer: Schemas['GeneratedCoupon'] = {
        code: coupon.code,
        startDate: coupon.startDate,
        ...(coupon.expiryDate !== null ? { expiryDate: coupon.expiryDate } : {}),
      };
      return { body: answer };
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
    handler: async (request, context) => {
      const body = request.body as Schemas['ValidateCouponRequest'];
      const validation = await context.serialise(body.customerId, () =>
        validateCoupons(context, {
          customerId: body.customerId,
          codes: [request.params.code!],
          addToLock: true,
          ...lockOptions(body),
        }),
      );
      const answer: Schemas['CouponValidation'] = {
        valid: true,
        coupon: presentValidatedCoupon(validation.coupons[0]!),
        ...lockFields(validation.lock),
      };
      return { body: answer };
    },
  },
  {
    method: 'POST',
    template: `${base}/coupons/validate`,
    handler: async (request, context) => {
      const body = request.body as Schemas['ValidateCouponsRequest'];
      const validation = await context.serialise(body.customerId, () =>
        validateCoupons(context, { customerId: body.customerId, codes: body.coupons, ...lockOptions(body) }),
      );
      const answer: Schemas['CouponsValidation'] = {
        valid: true,
        coupons: validation.coupons.map(presentValidatedCoupon),
        ...lockFields(validation.lock),
      };
      return { body: answer };
    },
  },
  {
    method: 'POST',
    template: `${base}/coupons/burn`,
    handler: async (request, context) => {
      const body = request.body as Schemas['BurnCouponsRequest'];
      const burn = await context.serialise(body.customerId, () =>
        burnCoupons(context, {
          customerId: body.customerId,
          ...(body.coupons ? { coupons: body.coupons } : {}),
          ...(body.lockReference !== undefined ? { lockReference: body.lockReference } : {}),
        }),
      );
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
    template: `${base}/coupons/automatic`,
    handler: (request, context) => ({
      body: applyAutomaticCoupons(context, request.body as Schemas['AutomaticCouponRequest']),
    }),
  },
];

function lockOptions(body: { lock?: boolean; lockReference?: string; lockDuration?: number }) {
  return {
    ...(body.lock !== undefined ? { lock: body.lock } : {}),
    ...(body.lockReference !== undefined ? { lockReference: body.lockReference } : {}),
    ...(body.lockDuration !== undefined ? { lockDuration: body.lockDuration } : {}),
  };
}
