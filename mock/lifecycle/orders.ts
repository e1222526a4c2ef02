// Orders. Tracking one rewards the customer by the loyalty rules (its cashback: the total paid
// times the cashback factor, and the campaigns of its `place_order` event) and redeems what it used:
// the coupons of a lock or by code (burnt; a code must be locked first) and a points hold (spent),
// all in one transaction. An order id is used once across the account (Gameball's go-live
// checklist: duplicate order ids are rejected), so a repeat is refused with 9004 before anything
// changes: the repeat's lock, coupons and hold are left as they were, neither burnt nor spent.
import type { components } from '../../openapi/generated/gameball.ts';
import type { MockContext } from '../context.ts';
import { notFound, transactionExists } from '../errors.ts';
import { burnCoupons, checkOrderCodesLocked } from './coupon-use.ts';
import { findOrCreateCustomer } from './customers.ts';
import { rewardEvents } from './events.ts';
import { liveHold, spendHold } from './holds.ts';
import { worth } from './ledger.ts';
import { orderCashback } from './order-previews.ts';
import { orderTransaction } from './order-transactions.ts';
import { earnCashback } from './points-transactions.ts';
import type { CustomerRecord, OrderRecord } from './records.ts';

type Schemas = components['schemas'];
type OrderRequest = Schemas['OrderRequest'];

/** Tracks the order; `event` is the event it fires for the campaigns (a payment fires its own). */
export function trackOrder(context: MockContext, order: OrderRequest, event = 'place_order'): Schemas['OrderResult'] {
  return context.store.transaction(() => {
    if (context.store.get('order', order.orderId) || context.store.get('transaction', order.orderId)) {
      throw transactionExists(order.orderId);
    }
    const customer = findOrCreateCustomer(context, order.customerId);
    const burned = burnOrderCoupons(context, order);
    const record: OrderRecord = {
      orderId: order.orderId,
      customerId: order.customerId,
      result: { customerId: order.customerId, redeemedPoints: 0, rewardedPoints: 0, lineItems: [] },
      burnedCoupons: burned,
      transactions: [],
    };
    const holdReference = order.redemption?.pointsHoldReference;
    if (holdReference !== undefined) {
      const hold = liveHold(context, holdReference, order.customerId);
      const spent = spendHold(context, hold, {
        transactionType: 'Redemption',
        transactionId: order.orderId,
        orderId: order.orderId,
        amount: worth(hold.points),
        reason: `Points paid on order ${order.orderId}`,
      });
      record.result.redeemedPoints = -spent.points;
      record.transactions.push(orderTransaction(spent, 'Redemption'));
    }
    rewardOrder(context, order, record, event);
    context.store.put('order', order.orderId, record);
    countOrder(context, customer, order);
    return record.result;
  });
}

function burnOrderCoupons(context: MockContext, order: OrderRequest): string[] {
  const lockReference = order.redemption?.couponsLockReference;
  const codes = order.redemption?.couponCodes ?? [];
  if (lockReference === undefined && codes.length === 0) return [];
  checkOrderCodesLocked(context, { customerId: order.customerId, codes, lockReference });
  return burnCoupons(context, {
    customerId: order.customerId,
    ...(lockReference !== undefined ? { lockReference } : { coupons: codes }),
  }).coupons.map((coupon) => coupon.code);
}

/** The order's cashback (the transaction with the order's id) and its campaigns' points. */
function rewardOrder(context: MockContext, order: OrderRequest, record: OrderRecord, event: string): void {
  const cashback = earnCashback(context, {
    customerId: order.customerId,
    transactionId: order.orderId,
    orderId: order.orderId,
    amount: order.totalPaid,
    reason: `Cashback on order ${order.orderId}`,
  });
  const points = cashback.points;
  record.transactions.push(orderTransaction(cashback, 'PaymentReward'));
  const campaigns = rewardEvents(context, order.customerId, [event], order.orderId);
  for (const entry of campaigns) record.transactions.push(orderTransaction(entry, 'AchievementReward'));
  record.result.rewardedPoints = points + campaigns.reduce((sum, entry) => sum + entry.points, 0);
  record.result.lineItems = (orderCashback(context, order).lineItems ?? []).map((item) => ({
    ...(item.productId !== undefined ? { productId: item.productId } : {}),
    quantity: item.quantity ?? 1,
    decimalPoints: item.totalDecimalPoints ?? 0,
    points: item.totalPoints ?? 0,
    score: 0,
  }));
}

function countOrder(context: MockContext, customer: CustomerRecord, order: OrderRequest): void {
  const updated = structuredClone(context.store.get<CustomerRecord>('customer', customer.customerId)!);
  updated.orders = {
    count: updated.orders.count + 1,
    totalSpent: Math.round((updated.orders.totalSpent + order.totalPaid) * 100) / 100,
    lastOrderDate: order.orderDate,
  };
  context.store.put('customer', customer.customerId, updated);
}

/** The order's transactions; 4004 for an order the stand-in never tracked. */
export function orderTransactions(context: MockContext, orderId: string): Schemas['OrderTransactions'] {
  const order = context.store.get<OrderRecord>('order', orderId);
  if (!order) throw notFound(`Order ${orderId} not found: the stand-in has tracked no order with this id.`);
  return { transactions: order.transactions, count: order.transactions.length };
}
