// The stand-in's own operations under /__gb/ (openapi/gameball-mock-control.yaml): the dashboard's
// Test Connection, a campaign reward, the log of merchant calls, a customer's points and ledger, the
// loyalty rules, and arranging a scenario.
import type { CouponConfiguration, GameballCouponKind } from '../../core/config/coupon-configuration.ts';
import { findScenario, scenarioValues } from '../../core/scenarios/scenarios.ts';
import { notFound } from '../errors.ts';
import { creditPoints, customerLedger, mockCustomer } from '../lifecycle/control-points.ts';
import { findOrCreateCustomer } from '../lifecycle/customers.ts';
import { awardCampaign } from '../lifecycle/issue-coupon.ts';
import { deliverCoupon } from '../merchant/deliver-coupon.ts';
import type { Route } from './route.ts';

/** The Test Connection sample's code (*inference*; the same code every time, as a sample would be). */
const testConnectionCode = 'GBTEST-CONNECTION';

type Fields = Record<string, unknown>;

export const controlRoutes: Route[] = [
  {
    method: 'POST',
    template: '/__gb/test-connection',
    handler: async (_request, context) => {
      const config = context.store.get<CouponConfiguration>('configuration', 'coupon');
      if (!config) {
        throw notFound(
          'No coupon configuration to test: PUT one to /api/v4.0/integrations/configurations/coupon first.',
        );
      }
      const values = scenarioValues(findScenario('test-connection'), testConnectionCode);
      return { body: await deliverCoupon(context, config, values, 'test-connection') };
    },
  },
  {
    method: 'POST',
    template: '/__gb/campaigns/award',
    handler: async (request, context) => {
      const body = request.body as Fields;
      const { coupon, deliveryId } = await awardCampaign(context, {
        customerId: body.customerId as string,
        couponType: body.couponType as GameballCouponKind,
        value: body.value as number,
        ...(typeof body.expiresAfter === 'number' ? { expiresAfter: body.expiresAfter } : {}),
        ...(typeof body.minOrderValue === 'number' ? { minOrderValue: body.minOrderValue } : {}),
        ...(typeof body.source === 'string' ? { source: body.source } : {}),
        ...(typeof body.name === 'string' ? { name: body.name } : {}),
      });
      return {
        body: {
          code: coupon.code,
          customerId: coupon.customerId,
          startDate: coupon.startDate,
          expiryDate: coupon.expiryDate,
          ...(deliveryId ? { deliveryId } : {}),
        },
      };
    },
  },
  {
    method: 'GET',
    template: '/__gb/deliveries',
    handler: (request, context) => {
      const customerId = request.query.get('customerId');
      const { deliveries, next } = context.store.deliveries.page({
        ...(customerId ? { customerId } : {}),
        ...pageQuery(request.query),
      });
      return { body: { deliveries, nextCursor: next === undefined ? null : String(next) } };
    },
  },
  {
    method: 'GET',
    template: '/__gb/customers/{customerId}',
    handler: async (request, context) => {
      const customerId = request.params.customerId!;
      return {
        body: await context.serialise(customerId, () =>
          mockCustomer(context, findOrCreateCustomer(context, customerId)),
        ),
      };
    },
  },
  {
    method: 'GET',
    template: '/__gb/customers/{customerId}/transactions',
    handler: (request, context) => ({ body: customerLedger(context, request.params.customerId!) }),
  },
  {
    method: 'GET',
    template: '/__gb/rules',
    handler: (_request, context) => ({ body: context.settings.rules }),
  },
  {
    method: 'POST',
    template: '/__gb/customers/{customerId}/points',
    handler: async (request, context) => {
      const customerId = request.params.customerId!;
      const points = (request.body as Fields).points as number;
      return { body: await context.serialise(customerId, () => creditPoints(context, customerId, points)) };
    },
  },
  {
    method: 'POST',
    template: '/__gb/clock/advance',
    handler: (request, context) => {
      context.advanceClock((request.body as Fields).seconds as number);
      return { body: { now: context.now().toISOString() } };
    },
  },
  {
    method: 'POST',
    template: '/__gb/reset',
    handler: (_request, context) => {
      context.store.clear();
      context.store.deliveries.clear();
      context.resetClock();
      return { body: { reset: true } };
    },
  },
];

/** A page of the delivery log holds 100 entries unless `limit` says otherwise (the document's default). */
const deliveryPageDefault = 100;

/** `limit` and `cursor` of GET /__gb/deliveries (the router has checked both against the document). */
function pageQuery(query: URLSearchParams): { limit: number; after?: number } {
  const cursor = query.get('cursor');
  return {
    limit: Number(query.get('limit') ?? deliveryPageDefault),
    ...(cursor !== null ? { after: Number(cursor) } : {}),
  };
}
