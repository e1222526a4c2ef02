// Gameball's orders, payments and events, by the loyalty rules: track an order or a payment
// (cashback, campaigns, the coupons and hold it redeemed), quote and preview it, list and cancel its
// transactions; send events and preview what they earn.
import type { components } from '../../openapi/generated/gameball.ts';
import { knownCustomer } from '../lifecycle/customers.ts';
import { previewEvents, sendEvents } from '../lifecycle/events.ts';
import { cancelOrder } from '../lifecycle/order-cancel.ts';
import { orderCashback, orderRewardPreview } from '../lifecycle/order-previews.ts';
import { orderTransactions, trackOrder } from '../lifecycle/orders.ts';
import { paymentCashback, trackPayment } from '../lifecycle/payments.ts';
import type { OrderRecord } from '../lifecycle/records.ts';
import type { Route } from './route.ts';

type Schemas = components['schemas'];

const base = '/api/v4.0/integrations';

export const orderRoutes: Route[] = [
  {
    method: 'POST',
    template: `${base}/orders`,
    handler: async (request, context) => {
      const body = request.body as Schemas['OrderRequest'];
      return { body: await context.serialise(body.customerId, () => trackOrder(context, body)) };
    },
  },
  {
    method: 'POST',
    template: `${base}/orders/cashback`,
    handler: (request, context) => ({ body: orderCashback(context, request.body as Schemas['OrderCashbackRequest']) }),
  },
  {
    method: 'POST',
    template: `${base}/orders/reward-preview`,
    handler: (request, context) => ({
      body: orderRewardPreview(context, request.body as Schemas['OrderRewardPreviewRequest']),
    }),
  },
  {
    method: 'GET',
    template: `${base}/orders/{orderId}/transactions`,
    handler: (request, context) => ({ body: orderTransactions(context, request.params.orderId!) }),
  },
  {
    method: 'DELETE',
    template: `${base}/orders/{orderId}/transactions`,
    handler: async (request, context) => {
      const orderId = request.params.orderId!;
      const customerId = context.store.get<OrderRecord>('order', orderId)?.customerId ?? orderId;
      await context.serialise(customerId, () => cancelOrder(context, orderId));
      return { body: undefined };
    },
  },
  {
    method: 'POST',
    template: `${base}/payments`,
    handler: async (request, context) => {
      const body = request.body as Schemas['PaymentRequest'];
      return { body: await context.serialise(body.customerId, () => trackPayment(context, body)) };
    },
  },
  {
    method: 'POST',
    template: `${base}/payments/cashback`,
    handler: (request, context) => ({
      body: paymentCashback(context, request.body as Schemas['PaymentCashbackRequest']),
    }),
  },
  {
    method: 'POST',
    template: `${base}/events`,
    handler: async (request, context) => {
      const body = request.body as Schemas['EventsRequest'];
      return { body: await context.serialise(body.customerId, () => sendEvents(context, body)) };
    },
  },
  {
    method: 'POST',
    template: `${base}/events/reward-preview`,
    handler: (request, context) => {
      const body = request.body as Schemas['EventRewardPreviewRequest'];
      knownCustomer(context, body.customerId);
      return { body: previewEvents(context, body) };
    },
  },
];
