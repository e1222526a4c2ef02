// Payments, the fintech counterpart of orders: tracked as an order whose id is the payment's and
// whose products are the services paid for, so they earn, redeem and are refunded the same way,
// and fire Gameball's "Payment Processed" event (`payment_processed` in the loyalty rules).
import type { components } from '../../openapi/generated/gameball.ts';
import type { MockContext } from '../context.ts';
import { orderCashback } from './order-previews.ts';
import { trackOrder } from './orders.ts';

type Schemas = components['schemas'];
type PaymentDetail = Schemas['PaymentDetail'];

/** The services paid for, as the products of an order. */
function asLineItems(details: PaymentDetail[] | undefined): Schemas['OrderLineItem'][] {
  return (details ?? []).map((detail) => ({
    ...(detail.serviceId !== undefined ? { productId: detail.serviceId } : {}),
    quantity: 1,
    price: detail.amount ?? 0,
    ...(detail.discount !== undefined ? { discount: detail.discount } : {}),
  }));
}

export function trackPayment(context: MockContext, payment: Schemas['PaymentRequest']): Schemas['PaymentResult'] {
  const result = trackOrder(
    context,
    {
      customerId: payment.customerId,
      orderId: payment.paymentId,
      orderDate: payment.paymentDate,
      totalPaid: payment.totalPaid,
      lineItems: asLineItems(payment.paymentDetails),
      ...(payment.redemption !== undefined ? { redemption: payment.redemption } : {}),
    },
    'payment_processed',
  );
  return {
    customerId: payment.customerId,
    redeemedPoints: result.redeemedPoints ?? 0,
    rewardedPoints: result.rewardedPoints ?? 0,
    paymentDetails: (result.lineItems ?? []).map((item) => ({
      ...(item.productId !== undefined ? { serviceId: item.productId } : {}),
      decimalPoints: item.decimalPoints ?? 0,
      points: item.points ?? 0,
      score: 0,
    })),
  };
}

export function paymentCashback(
  context: MockContext,
  payment: Schemas['PaymentCashbackRequest'],
): Schemas['PaymentCashback'] {
  const quote = orderCashback(context, {
    totalPaid: payment.totalPaid ?? 0,
    lineItems: asLineItems(payment.paymentDetails),
  });
  return {
    totalPoints: quote.totalPoints ?? 0,
    totalScore: 0,
    paymentDetails: (quote.lineItems ?? []).map(({ productId, ...item }) => ({
      ...(productId !== undefined ? { serviceId: productId } : {}),
      ...item,
    })),
  };
}
