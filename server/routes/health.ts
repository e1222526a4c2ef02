// GET /healthz (liveness): 200 when the store answers, 503 when it does not.
// GET /readyz (readiness): 200 when the store can write, 503 when it cannot, so a load balancer
// stops sending coupons to an instance that would answer them 500. Each request tries a write (the
// store's probe row), so an instance is ready again as soon as it can write: the first /readyz
// after space is freed is 200. Neither needs credentials (load balancers).
import type { components } from '../../openapi/generated/merchant.ts';
import type { AppContext } from '../context.ts';
import { storeCannotWrite, storeUnreachable } from '../problem.ts';
import type { CouponStore } from '../store/store.ts';

type Health = components['schemas']['Health'];

export function health(store: CouponStore) {
  return async (ctx: AppContext): Promise<void> => {
    try {
      await store.ping();
    } catch (error) {
      ctx.state.fault = error;
      throw storeUnreachable();
    }
    const body: Health = { status: 'ok', store: store.name };
    ctx.body = body;
  };
}

export function readiness(store: CouponStore) {
  return async (ctx: AppContext): Promise<void> => {
    try {
      await store.ready();
    } catch (error) {
      ctx.state.fault = error;
      throw storeCannotWrite();
    }
    const body: Health = { status: 'ok', store: store.name };
    ctx.body = body;
  };
}
