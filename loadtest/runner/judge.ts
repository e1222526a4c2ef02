// Each answer judged by the one judge (core/judge/judge.ts) that verify, trigger and the stand-in
// use, and its verdict counted the k6 way: how many of the checks status, code and (default
// template) the contract the request passed, and its failure under the runner's metric kinds.
// On the hot path: the judge parses each default-template answer once and findCode reads that
// document; an accepted answer costs no message.
import { type AcceptanceVerdict, judge, type ProblemKind } from '../../core/judge/judge.ts';
import type { Answer } from './client.ts';
import type { FailureKind } from './metrics.ts';

export interface JudgeOptions {
  usesDefaultTemplate: boolean;
  codePointer?: string;
}

export interface Verdict {
  answered: boolean;
  status?: number;
  checksPassed: number;
  checksTotal: number;
  failure?: FailureKind;
  /** For the first failure of a kind: what was seen, for the report. */
  detail?: string;
}

/** The runner's metric kind for each of the judge's (no-answer never reaches it: see judgeNoAnswer). */
const failureKinds: Record<ProblemKind, FailureKind> = {
  'no-answer': 'connection',
  'status-not-200': 'status',
  'code-missing': 'missing-code',
  'answer-contradicts': 'missing-code',
  'body-truncated': 'schema',
  'body-not-utf8': 'schema',
  'content-type-not-json': 'schema',
  'body-not-json': 'schema',
  'schema-mismatch': 'schema',
};

export function judgeAnswer(code: string, answer: Answer, options: JudgeOptions): Verdict {
  const verdict = judge(answer, { expectedCode: code }, options);
  const checksTotal = options.usesDefaultTemplate ? 3 : 2;
  if (verdict.accepted) return { answered: true, status: answer.status, checksPassed: checksTotal, checksTotal };
  return {
    answered: true,
    status: answer.status,
    checksPassed: checksPassed(verdict, checksTotal),
    checksTotal,
    failure: failureKinds[verdict.kind],
    detail: verdict.detail,
  };
}

/** Of a refused answer: status (exactly 200), code (carried), and for the default template the contract (no schema finding). */
function checksPassed(verdict: AcceptanceVerdict, checksTotal: number): number {
  if (verdict.kind === 'status-not-200') return 0;
  let contractOk = true;
  for (const finding of verdict.findings) {
    if (finding.severity === 'failure' && failureKinds[finding.kind] === 'schema') contractOk = false;
  }
  return 1 + Number(verdict.code !== undefined) + (checksTotal === 3 ? Number(contractOk) : 0);
}

export function judgeNoAnswer(kind: 'timeout' | 'connection', message: string, options: JudgeOptions): Verdict {
  const { detail } = judge({ error: message }, { expectedCode: undefined }, options);
  return { answered: false, checksPassed: 0, checksTotal: options.usesDefaultTemplate ? 3 : 2, failure: kind, detail };
}
