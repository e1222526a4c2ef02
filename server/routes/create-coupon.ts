// POST /coupons: Gameball's call. Validate, store, answer the coupon.
//   - With `code` (the template carries {{code}}): stored under that code, idempotent on it: the
//     same delivery again answers the same coupon, the code with other attributes a 409.
//   - Without `code` (the merchant generates the code): a code is drawn and the coupon stored under
//     it; a code already taken is drawn again. Nothing in such a delivery tells a retry from a second
//     redemption, so every one is a new coupon.
//
// This is where a merchant plugs in their commerce system: see server/README.md, "Adapting it to
// your shop". The store decides created / duplicate / conflict atomically; only a created coupon
// is new to the shop.
import type { AppContext } from '../context.ts';
import { differences } from '../coupons/compare.ts';
import { type CouponDelivery, parseDelivery } from '../coupons/delivery.ts';
import { codeConflict, noFreeCode } from '../problem.ts';
import type { CouponStore, CreateResult } from '../store/store.ts';

/** Draws before giving up: with ten random characters a second draw is already a one-in-10^15 event. */
const maxDraws = 8;
/** The contract's code: what a generated code must be too (ServerOptions.generateCode is the merchant's). */
const validCode = /^[A-Za-z0-9_-]{1,64}$/;

export function createCoupon(store: CouponStore, newCode: () => string) {
  return async (ctx: AppContext): Promise<void> => {
    const delivery = parseDelivery(ctx.state.body, ctx.state.bodyBytes);
    const code = delivery.code;
    if (code === undefined) {
      const result = await createUnderNewCode(store, delivery, newCode);
      ctx.state.outcome = 'generated';
      ctx.body = result.coupon;
      return;
    }
    const result = await store.create({ ...delivery, code });
    ctx.state.outcome = result.outcome;
    if (result.outcome === 'conflict') {
      throw codeConflict(code, differences(result.stored, delivery));
    }
    ctx.body = result.coupon;
  };
}

/** Stores the delivery under a fresh code; a code some coupon already holds is never answered. */
async function createUnderNewCode(
  store: CouponStore,
  delivery: CouponDelivery,
  newCode: () => string,
): Promise<Extract<CreateResult, { outcome: 'created' }>> {
  for (let draw = 0; draw < maxDraws; draw++) {
    const code = newCode();
    if (typeof code !== 'string' || !validCode.test(code)) {
      throw new Error(
        `The code generator returned ${JSON.stringify(code)}, which is not a coupon code (1 to 64 letters, digits, _ or -).`,
      );
    }
    const result = await store.create({ ...delivery, code });
    if (result.outcome === 'created') return result;
  }
  throw noFreeCode(maxDraws);
}
