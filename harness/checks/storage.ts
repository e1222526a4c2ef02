// Reading back what the endpoint stored (`--lookup`): answers alone cannot show 20 rows stored for
// one code, a row left behind by a refused delivery, a coupon acknowledged and never stored, or a
// coupon stored with other attributes than were sent.
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import type { CouponValues } from '../../core/render/render-delivery.ts';
import {
  type CheckContext,
  describeAnswer,
  type EvidenceStep,
  type Finding,
  type LookupProblem,
  type StoredRecords,
} from './check.ts';
import { describeMismatch, storedMismatches } from './stored-attributes.ts';

/** Said by a check that could only judge the answers. */
export const answersOnly =
  'This judges the answers only; pass --lookup (e.g. --lookup "GET https://shop.example/coupons/{code}") to read back what was stored.';

/** What was sent, to compare the one stored coupon with (`stored-mismatch`). */
export interface SentCoupon {
  values: CouponValues;
  config: CouponConfiguration;
}

/**
 * What is wrong with what is stored under `code`, when `expected` coupons should be (1 after an
 * acknowledged delivery, 0 after a refused one); undefined when it is right or there is no lookup.
 * `evidence` is the sequence that led here; the lookup is appended to it. With `sent`, the one
 * coupon stored must also hold what was sent.
 */
export async function storedProblem(
  context: CheckContext,
  code: string,
  expected: 0 | 1,
  evidence: readonly EvidenceStep[],
  /** What was refused, for the message (a bad-input case's name); the code by default. */
  subject = `The delivery of ${code}`,
  sent?: CouponValues,
): Promise<Finding | undefined> {
  if (!context.lookup) return undefined;
  const compareWith = sent ? { values: sent, config: context.config } : undefined;
  return judgeStored(await context.lookup(code), code, expected, evidence, subject, '', compareWith);
}

/**
 * What is wrong with one lookup's answer, as storedProblem says it; `through` names the instance it
 * read through (` through http://10.0.0.2:3000`) when the endpoint runs as several.
 */
export function judgeStored(
  stored: StoredRecords | LookupProblem,
  code: string,
  expected: 0 | 1,
  evidence: readonly EvidenceStep[],
  subject = `The delivery of ${code}`,
  through = '',
  sent?: SentCoupon,
): Finding | undefined {
  if ('problem' in stored) {
    return {
      severity: 'warning',
      kind: 'lookup-failed',
      message: `The lookup of ${code}${through} ${stored.problem}, so what was stored cannot be judged.`,
      evidence: [...evidence, stored.exchange],
    };
  }
  const sequence = [...evidence, stored.exchange];
  if (stored.count === expected)
    return sent && expected === 1 ? mismatch(code, stored.records[0], sent, sequence, through) : undefined;
  if (expected === 0) {
    return {
      severity: 'failure',
      kind: 'refused-but-stored',
      message: `${subject} was refused, yet the lookup${through} finds ${stored.count} coupon(s) stored under ${code}: a refused delivery must leave nothing behind.`,
      evidence: sequence,
    };
  }
  if (stored.count === 0) {
    return {
      severity: 'failure',
      kind: 'acknowledged-not-stored',
      message: `${code} was answered 200, yet the lookup${through} finds no coupon under it (it ${describeAnswer(stored.exchange)}): Gameball shows the customer a code the shop does not know.`,
      evidence: sequence,
    };
  }
  return {
    severity: 'failure',
    kind: 'duplicates-stored',
    message: `The lookup${through} finds ${stored.count} coupons stored under ${code}: one code must be one coupon (a unique constraint on the code).`,
    evidence: sequence,
  };
}

/** The stored coupon holds other attributes than were sent: a failure naming each. */
function mismatch(
  code: string,
  record: unknown,
  sent: SentCoupon,
  evidence: readonly EvidenceStep[],
  through: string,
): Finding | undefined {
  const mismatches = storedMismatches(record, sent.values, sent.config);
  if (mismatches.length === 0) return undefined;
  return {
    severity: 'failure',
    kind: 'stored-mismatch',
    message: `The lookup${through} finds ${code} stored with other attributes than were sent: ${mismatches.map(describeMismatch).join('; ')}. The customer's coupon must be the one Gameball shows: store what was delivered, unchanged.`,
    evidence,
  };
}
