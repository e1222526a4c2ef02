// Gameball may deliver the same coupon more than once (retries, duplicates in flight): the
// endpoint must be idempotent on the code, and must not let a code be silently reused.
import {
  type Check,
  type CheckContext,
  type CheckVerdict,
  type Delivery,
  describeAnswer,
  fail,
  isClientError,
  pass,
  skip,
} from './check.ts';

/** A fresh coupon the check then builds on, or the failure that stops it from being judged. */
async function establishCoupon(
  context: CheckContext,
  purpose: string,
  delivery = context.deliver(context.scenarios[0]!),
): Promise<Delivery | CheckVerdict> {
  const first = await context.send(delivery.request);
  if (first.response?.status !== 200)
    return fail(`The first delivery ${describeAnswer(first)}, so ${purpose} cannot be judged.`, first);
  return delivery;
}

export const idempotentRetry: Check = {
  id: 'idempotent-retry',
  title: 'A repeated delivery answers 200 with the same code',
  async run(context) {
    const delivery = await establishCoupon(context, 'a retry');
    if ('status' in delivery) return delivery;
    const retry = await context.send(delivery.request);
    if (retry.response?.status !== 200) {
      return fail(
        `The repeated delivery of ${delivery.values.code} ${describeAnswer(retry)}. Gameball may send a delivery again; it must get 200 with the same coupon, not an error.`,
        retry,
      );
    }
    if (!context.carriesCode(retry, delivery.values.code)) {
      return fail(`The repeated delivery answered 200 but without the code ${delivery.values.code}.`, retry);
    }
    return pass('The repeated delivery answered 200 with the same code.');
  },
};

const duplicates = 20;

export const concurrentDuplicates: Check = {
  id: 'concurrent-duplicates',
  title: `${duplicates} identical deliveries at once all answer 200, one code`,
  async run(context) {
    const delivery = context.deliver(context.scenarios[0]!);
    const exchanges = await Promise.all(Array.from({ length: duplicates }, () => context.send(delivery.request)));
    const bad = exchanges.filter((e) => e.response?.status !== 200 || !context.carriesCode(e, delivery.values.code));
    if (bad.length > 0) {
      return fail(
        `${bad.length} of ${duplicates} simultaneous copies of ${delivery.values.code} did not answer 200 with the code; one ${describeAnswer(bad[0]!)}. ` +
          'Concurrent duplicates must all see the one coupon (a unique constraint on the code, and treating a duplicate as success).',
        bad[0],
      );
    }
    return pass(`All ${duplicates} answered 200 with ${delivery.values.code}.`);
  },
};

export const conflictingReuse: Check = {
  id: 'conflicting-reuse',
  title: 'Reusing a code with other attributes is refused (409)',
  async run(context) {
    const planned = context.deliver(context.scenarios[0]!);
    const changed = context.redeliver(planned, {
      value: planned.values.value + 5,
      playerUniqueId: `${planned.values.playerUniqueId}_OTHER`,
    });
    if (changed.request.body === planned.request.body && changed.request.url === planned.request.url) {
      return skip(
        'The payload template carries neither {{playerUniqueId}} nor {{value}}, so a reuse of the code with other attributes cannot be expressed.',
      );
    }
    const delivery = await establishCoupon(context, 'a reuse', planned);
    if ('status' in delivery) return delivery;
    const reuse = await context.send(changed.request);
    if (reuse.response?.status === 200) {
      return fail(
        `Delivering ${delivery.values.code} again for another customer and value answered 200: the endpoint either overwrote the coupon or ignored the difference. It must refuse (409).`,
        reuse,
      );
    }
    if (!isClientError(reuse)) {
      return fail(
        `Reusing ${delivery.values.code} with other attributes ${describeAnswer(reuse)}; expected 409.`,
        reuse,
      );
    }
    const status = reuse.response!.status;
    return pass(
      status === 409
        ? 'Reusing the code with other attributes answered 409.'
        : `Reusing the code with other attributes answered ${status} (the contract says 409; Gameball only needs a refusal).`,
    );
  },
};
