// GET /coupons/{code}: the stored coupon, or 404.
import type { AppContext } from '../context.ts';
import { notFound } from '../problem.ts';
import type { CouponStore } from '../store/store.ts';

export function getCoupon(store: CouponStore) {
  return async (ctx: AppContext): Promise<void> => {
    const code = ctx.params.code!;
    const coupon = await store.get(code);
    if (!coupon) throw notFound(`No coupon with code ${code}.`);
    ctx.body = coupon;
  };
}
