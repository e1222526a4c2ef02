// Gameball may deliver the same coupon more than once (retries, duplicates in flight): the
// endpoint must be idempotent on the code, and must not let a code be silently reused. When the
// template has no {{code}} the merchant makes the codes, and nothing in a delivery tells a retry from
// a second redemption: there the checks send the identical delivery again and report what happened
// (the same code: recognised; another code: a retry creates a second coupon), and the run's report
// carries the warning about retries once, at the top.
import type { Exchange } from '../../core/http/send-request.ts';
import {
  type AnswerCode,
  type Check,
  type CheckContext,
  type CheckVerdict,
  type Delivery,
  describeAnswer,
  fail,
  isClientError,
  notAcceptedKind,
  pass,
  skip,
  verdictOf,
  warn,
} from './check.ts';
import { onInstance, otherInstances, spreadNote, storedThroughEveryInstance } from './fleet.ts';
import { answersOnly, storedProblem } from './storage.ts';

/** A fresh coupon the check then builds on, or the failure that stops it from being judged. */
async function establishCoupon(
  context: CheckContext,
  purpose: string,
  delivery = context.deliver(context.scenarios[0]!),
): Promise<{ delivery: Delivery; first: Exchange } | CheckVerdict> {
  const first = await context.send(delivery.request);
  if (first.response?.status !== 200)
    return fail(
      notAcceptedKind(first),
      `The first delivery ${describeAnswer(first)}, so ${purpose} cannot be judged.`,
      first,
    );
  return { delivery, first };
}

export const idempotentRetry: Check = {
  id: 'idempotent-retry',
  title: 'A repeated delivery answers 200 with the same code',
  dependsOn: ['accepted'],
  async run(context) {
    const established = await establishCoupon(context, 'a retry');
    if ('status' in established) return established;
    const { delivery, first } = established;
    // Against several instances the retry reaches another one than the original, as a load balancer may send it.
    const retry = await context.send(delivery.request, 1);
    if (retry.response?.status === 200 && context.codeMode === 'merchant') {
      return merchantRetry(context, delivery, first, retry);
    }
    if (retry.response?.status !== 200) {
      return fail(
        notAcceptedKind(retry),
        `The repeated delivery of ${delivery.values.code}${onInstance(context, 1)} ${describeAnswer(retry)}. Gameball may send a delivery again; it must get 200 with the same coupon, not an error.`,
        first,
        retry,
      );
    }
    const judgement = context.judgeCode(retry, delivery.values.code);
    if (!judgement.carries) {
      return fail(
        judgement.kind,
        `The repeated delivery${onInstance(context, 1)} answered 200 but ${judgement.reason}.`,
        first,
        retry,
      );
    }
    const stored = await storedThroughEveryInstance(context, delivery.values.code, 1, [first, retry], delivery.values);
    if (stored) return verdictOf([stored], '');
    return pass(
      `The repeated delivery${onInstance(context, 1)} answered 200 with the same code.${context.lookup ? ` The lookup finds one coupon${context.lookupInstances > 1 ? ', the same through each instance' : ''}.` : ` ${answersOnly}`}`,
    );
  },
};

/** The merchant-code mode: what a repeat of the identical delivery got, said as it happened. */
async function merchantRetry(
  context: CheckContext,
  delivery: Delivery,
  first: Exchange,
  retry: Exchange,
): Promise<CheckVerdict> {
  const before = context.judgeCode(first, delivery.values.code);
  if (!before.carries) return fail(before.kind, `The first delivery answered 200 but ${before.reason}.`, first);
  const after = context.judgeCode(retry, delivery.values.code);
  if (!after.carries) {
    return fail(after.kind, `The repeated delivery answered 200 but ${after.reason}.`, first, retry);
  }
  const codes = [...new Set([before.code, after.code])];
  const findings = [];
  for (const code of codes) {
    const stored = await storedProblem(context, code, 1, [first, retry]);
    if (stored) findings.push(stored);
  }
  if (codes.length === 2) {
    findings.push({
      severity: 'warning' as const,
      kind: 'retry-creates-coupon',
      message: `The identical delivery sent again answered 200 with another code (${before.code}, then ${after.code}): if Gameball retries a delivery, the customer gets a second coupon (see the note on retries).`,
      evidence: [first, retry],
    });
  }
  return verdictOf(
    findings,
    `The identical delivery sent again answered 200 with the same code ${before.code}: the endpoint recognised the repeat.${context.lookup ? ' The lookup finds one coupon.' : ` ${answersOnly}`}`,
  );
}

const duplicates = 20;

export const concurrentDuplicates: Check = {
  id: 'concurrent-duplicates',
  title: `${duplicates} identical deliveries at once all answer 200, one coupon`,
  // Copies in sequence come first: if a plain retry fails, copies at once fail for the same reason.
  dependsOn: ['accepted', 'idempotent-retry'],
  async run(context) {
    const delivery = context.deliver(context.scenarios[0]!);
    // Against several instances the copies go to each in turn.
    const exchanges = await Promise.all(
      Array.from({ length: duplicates }, (_, i) => context.send(delivery.request, i)),
    );
    const judged = new Map(exchanges.map((e) => [e, context.judgeCode(e, delivery.values.code)]));
    const bad = exchanges.filter((e) => e.response?.status !== 200 || !judged.get(e)!.carries);
    // The failing copy first: it is the one the reproduction shows.
    const group = [...bad, ...exchanges.filter((e) => !bad.includes(e))];
    if (bad.length > 0) {
      const judgement = judged.get(bad[0]!)!;
      return fail(
        bad[0]!.response?.status !== 200
          ? notAcceptedKind(bad[0]!)
          : judgement.carries
            ? 'code-missing'
            : judgement.kind,
        `${bad.length} of ${duplicates} simultaneous copies of ${delivery.values.code} did not answer 200 with the code; one${onInstance(context, exchanges.indexOf(bad[0]!))} ${describeAnswer(bad[0]!)}. ` +
          'Concurrent duplicates must all see the one coupon (a unique constraint on the code, and treating a duplicate as success).',
        group,
      );
    }
    if (context.codeMode === 'merchant') return merchantCopies(context, [...judged.values()], group);
    const stored = await storedThroughEveryInstance(context, delivery.values.code, 1, [group], delivery.values);
    if (stored) return verdictOf([stored], '');
    return pass(
      `All ${duplicates} answered 200 with ${delivery.values.code}.${spreadNote(context)}${context.lookup ? ` The lookup finds one coupon${context.lookupInstances > 1 ? ', the same through each instance' : ''}.` : ` ${answersOnly}`}`,
    );
  },
};

/** The merchant-code mode: how many coupons the simultaneous copies of one delivery made, said as it happened. */
async function merchantCopies(
  context: CheckContext,
  answers: readonly AnswerCode[],
  group: readonly Exchange[],
): Promise<CheckVerdict> {
  const codes = [...new Set(answers.flatMap((a) => (a.carries ? [a.code] : [])))];
  if (codes.length > 1) {
    return warn(
      'retry-creates-coupon',
      `${duplicates} identical copies of one delivery sent at once answered ${codes.length} different codes (e.g. ${codes.slice(0, 3).join(', ')}): each copy Gameball might send makes a coupon of its own (see the note on retries).`,
      group,
    );
  }
  const stored = await storedProblem(context, codes[0]!, 1, [group]);
  if (stored) return verdictOf([stored], '');
  return pass(
    `All ${duplicates} identical copies answered 200 with the one code ${codes[0]}: the endpoint recognised them.${context.lookup ? ' The lookup finds one coupon.' : ` ${answersOnly}`}`,
  );
}

export const conflictingReuse: Check = {
  id: 'conflicting-reuse',
  title: 'Reusing a code with other attributes is refused (409)',
  dependsOn: ['accepted'],
  async run(context) {
    if (context.codeMode === 'merchant') {
      return skip(
        "The template has no {{code}}: the merchant makes every code, so there is no code of Gameball's to reuse.",
      );
    }
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
    const established = await establishCoupon(context, 'a reuse', planned);
    if ('status' in established) return established;
    const { delivery, first } = established;
    // Against several instances the reuse reaches every other one: each must know the code is taken.
    const sentTo = otherInstances(context);
    const reuses: Exchange[] = [];
    for (const instance of sentTo) reuses.push(await context.send(changed.request, instance));
    const reuse =
      reuses.find((r) => r.response?.status === 200) ?? reuses.find((r) => r.response?.status !== 409) ?? reuses[0]!;
    const where = onInstance(context, sentTo[reuses.indexOf(reuse)]!);
    if (reuse.response?.status === 200) {
      return fail(
        'conflict-accepted',
        `Delivering ${delivery.values.code} again for another customer and value${where} answered 200: the endpoint either overwrote the coupon or ignored the difference. It must refuse (409).`,
        first,
        reuse,
      );
    }
    if (!reuse.response) {
      return fail(
        'no-answer',
        `Reusing ${delivery.values.code} with other attributes${where} ${describeAnswer(reuse)}; expected 409.`,
        first,
        reuse,
      );
    }
    const status = reuse.response.status;
    if (status !== 409) {
      return warn(
        isClientError(reuse) ? 'conflict-status-not-409' : 'conflict-server-error',
        `Reusing ${delivery.values.code} with other attributes${where} answered ${status}: refused, which is what Gameball needs, but the contract says 409${isClientError(reuse) ? '' : ' (a 5xx says your server broke, not that the code is taken)'}.`,
        first,
        reuse,
      );
    }
    // Refused, and the first coupon must be left as it was, not overwritten by the refused reuse.
    const stored = await storedThroughEveryInstance(context, delivery.values.code, 1, [first, reuse], delivery.values);
    if (stored) return verdictOf([stored], '');
    return pass(
      `Reusing the code with other attributes answered 409${context.instances.length > 1 ? ` on each of the ${sentTo.length} other instances` : ''}.${context.lookup ? ' The lookup finds the first coupon unchanged.' : ''}`,
    );
  },
};
