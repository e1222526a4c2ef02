// Each answer judged by the one judge (core/judge/judge.ts) that verify, trigger and the stand-in
// use, and its verdict counted the k6 way: how many of the checks status, code and (default
// template) the contract the request passed, and its failure under the runner's metric kinds.
// When the template has no {{code}} the code is the merchant's, and one another delivery of the run
// already got is a `duplicate-code` (core/judge/distinct-codes.ts): the code check fails.
// On the hot path: the judge parses each default-template answer once and findCode reads that
// document; an accepted answer costs no message.
import { type CodeRegister, judgeDistinct } from '../../core/judge/distinct-codes.ts';
import { type AcceptanceVerdict, judge, type ProblemKind } from '../../core/judge/judge.ts';
import type { CodeMode } from '../../core/render/code-mode.ts';
import type { Answer } from './client.ts';
import type { FailureKind } from './metrics.ts';

export interface JudgeOptions {
  usesDefaultTemplate: boolean;
  codePointer?: string;
  /** Who makes the code (core/render/code-mode.ts); `gameball` when absent. */
  codeMode?: CodeMode;
  /** The run's codes, by the delivery's own (the kit's) code: required in the merchant-code mode. */
  register?: CodeRegister<string>;
}

export interface Verdict {
  answered: boolean;
  status?: number;
  checksPassed: number;
  checksTotal: number;
  failure?: FailureKind;
  /** For the first failure of a kind: what was seen, for the report. */
  detail?: string;
  /** The code the answer carries (the one sent, or the merchant's own), for --reconcile. */
  code?: string;
}

/** The runner's metric kind for each of the judge's (no-answer never reaches it: see judgeNoAnswer). */
const failureKinds: Record<ProblemKind, FailureKind> = {
  'no-answer': 'connection',
  'status-not-200': 'status',
  'code-missing': 'missing-code',
  'answer-contradicts': 'missing-code',
  'duplicate-code': 'duplicate-code',
  'body-truncated': 'schema',
  'body-not-utf8': 'schema',
  'content-type-not-json': 'schema',
  'body-not-json': 'schema',
  'schema-mismatch': 'schema',
};

/** The verdict on the answer to the delivery of `code` (the kit's code; not sent in the merchant-code mode). */
export function judgeAnswer(code: string, answer: Answer, options: JudgeOptions): Verdict {
  const merchant = options.codeMode === 'merchant';
  const judged = judge(answer, { expectedCode: merchant ? undefined : code }, options);
  const verdict =
    merchant && options.register
      ? judgeDistinct(judged, options.register, code, () => 'an earlier delivery of this run')
      : judged;
  const checksTotal = options.usesDefaultTemplate ? 3 : 2;
  const carried = verdict.code === undefined ? {} : { code: verdict.code };
  if (verdict.accepted) {
    return { answered: true, status: answer.status, checksPassed: checksTotal, checksTotal, ...carried };
  }
  return {
    answered: true,
    status: answer.status,
    checksPassed: checksPassed(verdict, checksTotal),
    checksTotal,
    failure: failureKinds[verdict.kind],
    detail: verdict.detail,
    ...carried,
  };
}

/** Of a refused answer: status (exactly 200), code (carried), and for the default template the contract (no schema finding). */
function checksPassed(verdict: AcceptanceVerdict, checksTotal: number): number {
  if (verdict.kind === 'status-not-200') return 0;
  let contractOk = true;
  for (const finding of verdict.findings) {
    if (finding.severity === 'failure' && failureKinds[finding.kind] === 'schema') contractOk = false;
  }
  const codeOk = verdict.code !== undefined && verdict.kind !== 'duplicate-code';
  return 1 + Number(codeOk) + (checksTotal === 3 ? Number(contractOk) : 0);
}

export function judgeNoAnswer(kind: 'timeout' | 'connection', message: string, options: JudgeOptions): Verdict {
  const { detail } = judge({ error: message }, { expectedCode: undefined }, options);
  return { answered: false, checksPassed: 0, checksTotal: options.usesDefaultTemplate ? 3 : 2, failure: kind, detail };
}
