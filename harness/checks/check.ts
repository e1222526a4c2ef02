// What a check is and what it may use. A check is a small named unit: an id, one line saying what
// Gameball needs, the checks it depends on, and a `run` that sends what it needs through the
// context and returns a verdict. Every finding has a severity: a failure (Gameball's integration
// breaks, or a coupon can be minted or lost) or a warning (advice), and a machine-readable kind.
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import type { Exchange } from '../../core/http/send-request.ts';
import type { AcceptanceVerdict } from '../../core/judge/judge.ts';
import type { CodeMode } from '../../core/render/code-mode.ts';
import type { CouponValues, RenderedRequest } from '../../core/render/render-delivery.ts';
import type { Scenario } from '../../core/scenarios/scenarios.ts';
import { decidingSeverity, firstFinding } from '../report/first-finding.ts';
import type { CheckStatus, Severity } from '../report/types.ts';

export type { Severity };
export { firstFinding };

export interface Delivery {
  scenario: Scenario;
  values: CouponValues;
  request: RenderedRequest;
}

/**
 * Whether an answer carries its delivery's coupon code where the configuration says, and which
 * code: the one sent, or in the merchant-code mode the merchant's own (`duplicate-code` when another
 * delivery of the run already got it).
 */
export type AnswerCode =
  | {
      carries: true;
      code: string;
      /** Where the code was found: a JSON pointer, or null for a plain-text body that is the code. */
      pointer: string | null;
      alsoAt: readonly string[];
    }
  | {
      carries: false;
      kind: 'no-answer' | 'code-missing' | 'answer-contradicts' | 'body-truncated' | 'duplicate-code';
      /** Why, as the end of a sentence: "the body does not carry the code GB10-…". */
      reason: string;
    };

export interface RecordedExchange extends Exchange {
  checkId: string;
  /** The instance (origin) that was sent the request, when the run spreads over several. */
  instance?: string;
}

/** What the endpoint's own lookup says it stored under a code (`--lookup`). */
export interface StoredRecords {
  /**
   * How many coupons the lookup returned for the code: records (a JSON object, or the objects of an
   * array) that carry the code; 0 for a 404, `[]`, or an object without it (`{"error":"not found"}`).
   */
  count: number;
  /** The stored coupons as the lookup returned them (those carrying the code). */
  records: unknown[];
  /** The lookup request and its answer, for reproductions. */
  exchange: Exchange;
}

export interface CheckContext {
  config: CouponConfiguration;
  /** Scenarios whose coupon type the configuration enables, in order. */
  scenarios: readonly Scenario[];
  /** True when the payload template is one the kit ships, so the contract's response schema applies. */
  usesDefaultTemplate: boolean;
  /**
   * Who makes the code (core/render/code-mode.ts): `gameball` when the template carries {{code}}
   * (the answer must carry the code sent), `merchant` when it does not (the answer must carry a
   * non-empty code of the merchant's own, a different one for every delivery).
   */
  codeMode: CodeMode;
  latencyBudgetMs: number;
  /**
   * A new delivery of the scenario with a fresh code, optionally with some values changed. The code
   * also names the delivery: in the merchant-code mode it is not sent, but the judging methods
   * below take it to tell one delivery from another.
   */
  deliver(scenario: Scenario, changes?: Partial<CouponValues>): Delivery;
  /** The same delivery with some values changed (the code too, unless changed). */
  redeliver(delivery: Delivery, changes: Partial<CouponValues>): Delivery;
  /** The request with another body (re-signed when signing is on). */
  withBody(request: RenderedRequest, body: string, bodyShell?: string): RenderedRequest;
  /**
   * The endpoint's instances (origins): the configuration's url's first, then each of `targets`.
   * One unless the run spreads over several.
   */
  instances: readonly string[];
  /**
   * Sends once, with the run's timeout, and records the exchange for the report: to the
   * configuration's url, or to instance `instance` of `instances` (counted round, so `i` spreads).
   */
  send(request: RenderedRequest, instance?: number): Promise<Exchange>;
  /**
   * Whether Gameball would take the answer to the delivery of this code as a created coupon
   * (core/judge/judge.ts); in the merchant-code mode also `duplicate-code` when another delivery of
   * the run already got the code the answer carries.
   */
  judge(exchange: Exchange, code: string): AcceptanceVerdict;
  /** Whether the answer to the delivery of this code carries its coupon code where the configuration says, and which. */
  judgeCode(exchange: Exchange, code: string): AnswerCode;
  /** Shorthand for judgeCode(...).carries. */
  carriesCode(exchange: Exchange, code: string): boolean;
  /**
   * Reads back what the endpoint stored under a code, through `--lookup` (through instance
   * `instance` of `instances` when the lookup is on the configuration's host); undefined when no
   * lookup was given (the check then judges the answers only, and says so).
   */
  lookup?: (code: string, instance?: number) => Promise<StoredRecords | LookupProblem>;
  /**
   * How many instances the lookup reads through: each of `instances` when it addresses the
   * configuration's own host (read through instance i with `lookup(code, i)`), else 1.
   */
  lookupInstances: number;
  /** Every exchange of the run so far, of every check. */
  exchanges(): readonly RecordedExchange[];
}

/** The lookup itself did not work (no answer, an unexpected status): the storage cannot be judged. */
export interface LookupProblem {
  problem: string;
  exchange: Exchange;
}

/** One request of a reproduction, or several sent at once (concurrent duplicates). */
export type EvidenceStep = Exchange | readonly Exchange[];

export interface Finding {
  /** A problem's severity, or `note`: why a check passed or was skipped (a verdict's only finding then). */
  severity: Severity | 'note';
  /**
   * Machine-readable, stable: e.g. `status-not-200`, `code-missing`, `conflict-accepted`; for a
   * skip why (`not-applicable`, `not-selected`, `dependency-failed`, `no-credentials`); `passed`.
   */
  kind: string;
  message: string;
  /**
   * The requests that show it, in the order to send them; the last step shows the problem (in a
   * group sent at once, its first exchange).
   */
  evidence?: readonly EvidenceStep[];
}

/**
 * What a check returns: its status and what it found. A failed check has at least one failure, a
 * warning at least one warning and no failure, a pass or a skip one note saying why; problems come
 * worst first. Build it with pass, fail, warn, skip or verdictOf; read it with firstFinding.
 */
export interface CheckVerdict {
  status: CheckStatus;
  findings: readonly Finding[];
}

export interface Check {
  /** Stable id, e.g. `accepted`; what `--only` takes. */
  id: string;
  /** What Gameball needs from the endpoint, in one line. */
  title: string;
  /** Checks whose failure makes this one meaningless: it is then skipped, not failed again. */
  dependsOn?: readonly string[];
  run(context: CheckContext): Promise<CheckVerdict>;
}

export const pass = (message: string): CheckVerdict => ({
  status: 'passed',
  findings: [{ severity: 'note', kind: 'passed', message }],
});

/** A failure: Gameball's integration breaks, or a coupon can be minted or lost. */
export const fail = (kind: string, message: string, ...evidence: EvidenceStep[]): CheckVerdict => ({
  status: 'failed',
  findings: [{ severity: 'failure', kind, message, ...(evidence.length > 0 ? { evidence } : {}) }],
});

/** Advice: shown and counted, fails the run only under --strict. */
export const warn = (kind: string, message: string, ...evidence: EvidenceStep[]): CheckVerdict => ({
  status: 'warning',
  findings: [{ severity: 'warning', kind, message, ...(evidence.length > 0 ? { evidence } : {}) }],
});

export const skip = (message: string, kind = 'not-applicable'): CheckVerdict => ({
  status: 'skipped',
  findings: [{ severity: 'note', kind, message }],
});

/** One verdict from several findings: the worst decides; every finding is kept, failures first. */
export function verdictOf(findings: readonly Finding[], passMessage: string): CheckVerdict {
  const failures = findings.filter((f) => f.severity === 'failure');
  const warnings = findings.filter((f) => f.severity === 'warning');
  if (failures.length + warnings.length === 0) return pass(passMessage);
  return { status: failures.length > 0 ? 'failed' : 'warning', findings: [...failures, ...warnings] };
}

const rank: Record<Finding['severity'], number> = { note: 0, warning: 1, failure: 2 };

/** The verdict in one sentence: its problems' messages (failures first), or why it passed or was skipped. */
export function verdictMessage(verdict: CheckVerdict): string {
  const problems = decidingSeverity[verdict.status] !== 'note';
  return verdict.findings
    .filter((f) => (f.severity !== 'note') === problems)
    .map((f) => f.message)
    .join(' ');
}

/** What is wrong with a verdict a check returned (an extra check's may be hand-built), if anything. */
export function verdictProblem(verdict: CheckVerdict): string | undefined {
  const wanted = Object.hasOwn(decidingSeverity, verdict?.status) ? decidingSeverity[verdict.status] : undefined;
  if (!wanted) return 'its status is not passed, warning, failed or skipped';
  if (!Array.isArray(verdict.findings) || !verdict.findings.some((f) => f?.severity === wanted))
    return `a ${verdict.status} verdict needs findings[] with a ${wanted}`;
  if (verdict.findings.some((f: Finding) => !(rank[f.severity] <= rank[wanted])))
    return `a ${verdict.status} verdict has a finding worse than a ${wanted}`;
  if (verdict.findings.some((f: Finding) => typeof f.kind !== 'string' || typeof f.message !== 'string'))
    return 'every finding needs a kind and a message';
  return undefined;
}

/** "answered 500 with {...}" or "got no answer (timed out)", for messages: the judge's words (core/http/body-note.ts). */
export { describeAnswer } from '../../core/http/body-note.ts';

/** `no-answer` when nothing came back, `status-not-200` otherwise: the kind of a delivery that was not accepted. */
export const notAcceptedKind = (exchange: Exchange): string => (exchange.response ? 'status-not-200' : 'no-answer');

export const statusOf = (exchange: Exchange): number | undefined => exchange.response?.status;
export const isClientError = (exchange: Exchange): boolean => {
  const status = statusOf(exchange);
  return status !== undefined && status >= 400 && status < 500;
};
