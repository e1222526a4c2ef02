// Orders and points spent as payment. An order that redeemed locked coupons burns the lock; an
// order earns points (*inference*: one point per whole unit of currency paid). Points redeemed as
// payment are worth pointValue each, and a transaction id is used once.
import type { components } from '../../openapi/generated/gameball.ts';
import type { MockContext } from '../context.ts';
import { invalidValue, notFound, transactionExists } from '../errors.ts';
import { burnCoupons } from './coupon-use.ts';
import { changePoints, findOrCreateCustomer } from './customers.ts';
import { pointValue } from './redemption-rules.ts';

type OrderLineItem = components['schemas']['OrderLineItem'];
type OrderResult = components['schemas']['OrderResult'];

interface TrackedOrder {
  customerId: string;
  orderId: string;
  redeemedPoints: number;
  rewardedPoints: number;
  lineItems: NonNullable<OrderResult['lineItems']>;
  burnedCoupons: string[];
}

/** The stand-in has no Hold Points API (it is not in the document), so no hold can exist. */
function unknownHold(reference: string): Error {
  return notFound(
    `Points hold ${reference} not found: the stand-in does not model Gameball's Hold Points API; redeem with points or amount instead.`,
  );
}

export function trackOrder(
  context: MockContext,
  order: {
    customerId: string;
    orderId: string;
    totalPaid: number;
    couponsLockReference?: string;
    couponCodes?: string[];
    pointsHoldReference?: string;
    lineItems?: OrderLineItem[];
  },
): TrackedOrder {
  const known = context.store.get<TrackedOrder>('order', order.orderId);
  // Gameball treats a repeated order id as the same order (*inference*): the first answer again.
  if (known) return known;
  if (order.pointsHoldReference !== undefined) throw unknownHold(order.pointsHoldReference);
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
    const rewardedPoints = Math.max(0, Math.floor(order.totalPaid));
    if (rewardedPoints > 0) changePoints(context, order.customerId, rewardedPoints);
    const tracked: TrackedOrder = {
      customerId: order.customerId,
      orderId: order.orderId,
      redeemedPoints: 0,
      rewardedPoints,
      lineItems: (order.lineItems ?? []).map((item) => ({
        ...(item.productId !== undefined ? { productId: item.productId } : {}),
        quantity: item.quantity ?? 1,
        points: Math.max(0, Math.floor((item.price ?? 0) * (item.quantity ?? 1))),
      })),
      burnedCoupons: burned,
    };
    context.store.put('order', order.orderId, tracked);
    return tracked;
  });
}

type PointsRedemption = components['schemas']['RedeemResult'];

export function redeemPoints(
  context: MockContext,
  request: {
    customerId: string;
    transactionId: string;
    points?: number;
    amount?: number;
    holdReference?: string;
    reason?: string;
  },
): PointsRedemption {
  if (context.store.get('transaction', request.transactionId)) throw transactionExists(request.transactionId);
  if (request.points === undefined && request.amount === undefined && request.holdReference !== undefined) {
    throw unknownHold(request.holdReference);
  }
  let points: number;
  if (request.points !== undefined) points = request.points;
  else if (request.amount !== undefined) points = Math.ceil(request.amount / pointValue);
  else throw invalidValue('Invalid value: give the points to redeem or the amount to pay with points.');
  if (!(points > 0)) throw invalidValue('Invalid value: the points to redeem must be more than 0.');
  findOrCreateCustomer(context, request.customerId);
  return context.store.transaction(() => {
    changePoints(context, request.customerId, -points);
    const counter = (context.store.get<number>('counter', 'transaction') ?? 51_200_000) + 1;
    const result = {
      customerId: request.customerId,
      gameballTransactionId: String(counter),
      transactionId: request.transactionId,
      redeemAmount: Math.round(points * pointValue * 100) / 100,
      redeemEquivalentPoints: points,
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
    };
    context.store.put('counter', 'transaction', counter);
    context.store.put('transaction', request.transactionId, result);
    return result;
  });
}
