// GET /healthz: 200 when the store answers, 503 when it does not. No credentials (load balancers).
import type { components } from '../../openapi/generated/merchant.ts';
import type { AppContext } from '../context.ts';
import { storeUnreachable } from '../problem.ts';
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
