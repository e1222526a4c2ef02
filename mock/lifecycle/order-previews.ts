// What an order would earn, by the same loyalty rules that reward it when it is tracked, so a
// preview and the order agree: the cashback quote (POST /orders/cashback) and the whole preview with
// the `place_order` campaigns (POST /orders/reward-preview). Nothing is written.
import type { components } from '../../openapi/generated/gameball.ts';
import type { MockContext } from '../context.ts';
import { previewEvent } from './events.ts';
import { cashbackPoints } from './loyalty-rules.ts';
import type { CustomerRecord } from './records.ts';

type Schemas = components['schemas'];
type OrderLineItem = Schemas['OrderLineItem'];

/** The cashback quote: the order's points from its total paid, each line's from what it cost. */
export function orderCashback(
  context: MockContext,
  order: { totalPaid: number; lineItems?: OrderLineItem[] | undefined },
): Schemas['OrderCashback'] {
  const factor = context.settings.rules.cashbackFactor;
  return {
    totalPoints: cashbackPoints(context.settings.rules, order.totalPaid).points,
    totalScore: 0,
    lineItems: (order.lineItems ?? []).map((item) => {
      const quantity = item.quantity ?? 1;
      const paid = (item.price ?? 0) * quantity - (item.discount ?? 0);
      const { decimal, points } = cashbackPoints(context.settings.rules, paid);
      return {
        ...(item.productId !== undefined ? { productId: item.productId } : {}),
        quantity,
        totalDecimalPoints: decimal,
        totalPoints: points,
        totalScore: 0,
        rewardWalletFactor: factor,
        campaignId: null,
        campaignName: null,
        campaignEndDate: null,
        campaignImpactWalletFactor: 1,
        campaignImpactPoints: 0,
      };
    }),
  };
}

export function orderRewardPreview(
  context: MockContext,
  request: Schemas['OrderRewardPreviewRequest'],
): Schemas['OrderRewardPreview'] {
  const cashback = orderCashback(context, request);
  const found =
    request.customerId !== undefined && context.store.get<CustomerRecord>('customer', request.customerId) !== undefined;
  const eventRewards = found ? previewEvent(context, 'place_order') : null;
  return {
    ...(request.customerId !== undefined ? { customerId: request.customerId } : {}),
    customerFound: found,
    totalPoints: (cashback.totalPoints ?? 0) + (eventRewards?.totalPoints ?? 0),
    totalCoupons: 0,
    cashback,
    eventRewards,
  };
}

/** The first automatic coupon of the rules that the cart reaches, or none. */
export function applyAutomaticCoupons(
  context: MockContext,
  cart: Schemas['AutomaticCouponRequest'],
): Schemas['AutomaticCoupon'] {
  const total =
    cart.totalPrice ?? (cart.lineItems ?? []).reduce((sum, item) => sum + (item.price ?? 0) * (item.quantity ?? 1), 0);
  const rule = context.settings.rules.automaticCoupons.find((candidate) => total >= candidate.minCartTotal);
  if (!rule) return { isApplied: false };
  const discount =
    rule.discountType === 'shipping'
      ? (cart.totalShipping ?? 0)
      : rule.discountType === 'fixed'
        ? Math.min(rule.value, total)
        : Math.round(total * rule.value) / 100;
  return { isApplied: true, couponName: rule.name, discountAmount: discount, discountType: rule.discountType };
}
