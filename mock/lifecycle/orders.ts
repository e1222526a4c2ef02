// Orders and points spent as payment. An order that redeemed locked coupons burns the lock; an
// order earns points (*inference*: one point per whole unit of currency paid). Points redeemed as
// payment are worth pointValue each, and a transaction id is used once.
import type { MockContext } from '../context.ts';
import { invalidValue, transactionExists } from '../errors.ts';
import { burnCoupons } from './coupon-use.ts';
import { changePoints, findOrCreateCustomer } from './customers.ts';
import { pointValue } from './redemption-rules.ts';

export interface TrackedOrder {
  customerId: string;
  orderId: string;
  redeemedPoints: number;
  rewardedPoints: number;
  lineItems: unknown[];
  burnedCoupons: string[];
}

export function trackOrder(
  context: MockContext,
  order: {
    customerId: string;
    orderId: string;
    totalPaid: number;
    couponsLockReference?: string;
    couponCodes?: string[];
    pointsToRedeem?: number;
    lineItems?: unknown[];
  },
): TrackedOrder {
  const known = context.store.get<TrackedOrder>('order', order.orderId);
  // Gameball treats a repeated order id as the same order (*inference*): the first answer again.
  if (known) return known;
  findOrCreateCustomer(context, order.customerId);
  return context.store.transaction(() => {
    let burned: string[] = [];
    if (order.couponsLockReference !== undefined || (order.couponCodes && order.couponCodes.length > 0)) {
      burned = burnCoupons(context, {
        customerId: order.customerId,
        ...(order.couponsLockReference !== undefined
          ? { lockReference: order.couponsLockReference }
          : { coupons: order.couponCodes ?? [] }),
      }).coupons.map((c) => c.code);
    }
    const redeemedPoints = order.pointsToRedeem ?? 0;
    if (redeemedPoints > 0) changePoints(context, order.customerId, -redeemedPoints);
    const rewardedPoints = Math.max(0, Math.floor(order.totalPaid));
    if (rewardedPoints > 0) changePoints(context, order.customerId, rewardedPoints);
    const tracked: TrackedOrder = {
      customerId: order.customerId,
      orderId: order.orderId,
      redeemedPoints,
      rewardedPoints,
      lineItems: order.lineItems ?? [],
      burnedCoupons: burned,
    };
    context.store.put('order', order.orderId, tracked);
    return tracked;
  });
}

export interface PointsRedemption {
  customerId: string;
  gameballTransactionId: number;
  transactionId: string;
  redeemAmount: number;
  redeemEquivalentPoints: number;
  reason: string | null;
}

export function redeemPoints(
  context: MockContext,
  request: { customerId: string; transactionId: string; points?: number; amount?: number; reason?: string },
): PointsRedemption {
  if (context.store.get('transaction', request.transactionId)) throw transactionExists(request.transactionId);
  let points: number;
  if (request.points !== undefined) points = request.points;
  else if (request.amount !== undefined) points = Math.ceil(request.amount / pointValue);
  else throw invalidValue('Invalid value: give the points to redeem or the amount to pay with points.');
  if (!(points > 0)) throw invalidValue('Invalid value: the points to redeem must be more than 0.');
  findOrCreateCustomer(context, request.customerId);
  return context.store.transaction(() => {
    changePoints(context, request.customerId, -points);
    const counter = (context.store.get<number>('counter', 'transaction') ?? 51_200_000) + 1;
    const result: PointsRedemption = {
      customerId: request.customerId,
      gameballTransactionId: counter,
      transactionId: request.transactionId,
      redeemAmount: Math.round(points * pointValue * 100) / 100,
      redeemEquivalentPoints: points,
      reason: request.reason ?? null,
    };
    context.store.put('counter', 'transaction', counter);
    context.store.put('transaction', request.transactionId, result);
    return result;
  });
}
