// POST /coupons: Gameball's call. Validate, store (idempotent on the code), answer the coupon.
//
// This is where a merchant plugs in their commerce system: see server/README.md, "Adapting it to
// your shop". The store decides created / duplicate / conflict atomically; only a created coupon
// is new to the shop.
import type { AppContext } from '../context.ts';
import { differences } from '../coupons/compare.ts';
import { parseDelivery } from '../coupons/delivery.ts';
import { HttpProblem } from '../problem.ts';
import type { CouponStore } from '../store/store.ts';

export function createCoupon(store: CouponStore) {
  return async (ctx: AppContext): Promise<void> => {
    const delivery = parseDelivery(ctx.state.body, ctx.state.bodyBytes);
    const result = await store.create(delivery);
    ctx.state.outcome = result.outcome;
    if (result.outcome === 'conflict') {
      throw new HttpProblem(
        409,
        'code_conflict',
        `Coupon ${delivery.code} already exists with other attributes; nothing was changed.`,
        differences(result.stored, delivery),
      );
    }
    ctx.body = result.coupon;
  };
}
