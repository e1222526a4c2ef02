// An endpoint that runs as several instances behind one load balancer (verify's `targets`): each of
// Gameball's deliveries reaches whichever instance the balancer picks, so a duplicate that reaches
// another instance than the original is still a duplicate, and a coupon one instance answered 200
// must be readable through every other. The concurrency checks spread their requests with these;
// against one instance each of them changes nothing.
import { isDeepStrictEqual } from 'node:util';
import type { Exchange } from '../../core/http/send-request.ts';
import type { CouponValues } from '../../core/render/render-delivery.ts';
import type { CheckContext, Delivery, EvidenceStep, Finding, StoredRecords } from './check.ts';
import { judgeStored, storedProblem } from './storage.ts';

/** ` on http://10.0.0.3:3000`: where a request went, for messages; nothing against one instance. */
export function onInstance(context: CheckContext, instance: number): string {
  const { instances } = context;
  return instances.length > 1 ? ` on ${instances[instance % instances.length]}` : '';
}

/** ` Spread across 3 instances.` for a message; nothing against one instance. */
export function spreadNote(context: CheckContext): string {
  return context.instances.length > 1 ? ` Spread across ${context.instances.length} instances.` : '';
}

/** Where repeats of a delivery sent to the primary go: every other instance, or the primary itself when it is the only one. */
export function otherInstances(context: CheckContext): number[] {
  const count = context.instances.length;
  return count > 1 ? Array.from({ length: count - 1 }, (_, i) => i + 1) : [0];
}

/** The first failure among findings, else the first warning. */
const worst = (findings: readonly (Finding | undefined)[]): Finding | undefined =>
  findings.find((f) => f?.severity === 'failure') ?? findings.find(Boolean);

/**
 * What is wrong with what is stored under `code`, read back through every instance the lookup
 * reaches: `expected` coupons through each, and the same record through all (instances that each
 * keep their own store each find one, but not the same one). Against one instance, storedProblem.
 */
export async function storedThroughEveryInstance(
  context: CheckContext,
  code: string,
  expected: 0 | 1,
  evidence: readonly EvidenceStep[],
  /** What was sent: the coupon stored must hold it (`stored-mismatch`). */
  sent?: CouponValues,
): Promise<Finding | undefined> {
  const { lookup, instances } = context;
  if (!lookup || context.lookupInstances <= 1) return storedProblem(context, code, expected, evidence, undefined, sent);
  const reads = await Promise.all(instances.map((_, i) => lookup(code, i)));
  const compareWith = sent ? { values: sent, config: context.config } : undefined;
  const problem = worst(
    reads.map((stored, i) =>
      judgeStored(stored, code, expected, evidence, undefined, ` through ${instances[i]}`, compareWith),
    ),
  );
  if (problem) return problem;
  const records = reads.map((stored) => (stored as StoredRecords).records);
  const other = records.findIndex((r) => !isDeepStrictEqual(r, records[0]));
  if (other < 0) return undefined;
  // A warning, not a failure: a lookup may add something of its own to each answer (the time, the
  // instance's name), which no reader can tell from a second coupon. A fleet that keeps a store per
  // instance fails elsewhere anyway: a reuse reaching another instance is taken as a new coupon.
  return {
    severity: 'warning',
    kind: 'instances-disagree',
    message: `Read back through ${instances[0]} and through ${instances[other]}, ${code} is not the same record: if these are two coupons, the instances do not share one store, and a delivery that reaches another instance than the first creates a second coupon (if the lookup adds something of its own to each answer, such as the time, this is advice only).`,
    evidence: [...evidence, reads[0]!.exchange, reads[other]!.exchange],
  };
}

/**
 * Each of `deliveries` (delivery i was sent to instance i, and answered 200 as `exchanges[i]`)
 * read back through the next instance: the first that is not stored there. Nothing without a
 * lookup through each instance.
 */
export async function unreadableElsewhere(
  context: CheckContext,
  deliveries: readonly Delivery[],
  exchanges: readonly Exchange[],
): Promise<Finding | undefined> {
  const { lookup, instances } = context;
  if (!lookup || context.lookupInstances <= 1) return undefined;
  const problems = await Promise.all(
    deliveries.map(async (delivery, i) => {
      const code = delivery.values.code;
      const stored = await lookup(code, i + 1);
      return judgeStored(
        stored,
        code,
        1,
        [exchanges[i]!],
        undefined,
        ` through ${instances[(i + 1) % instances.length]}`,
      );
    }),
  );
  return worst(problems);
}
