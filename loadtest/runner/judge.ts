// Each answer judged as Gameball would take it: exactly 200, the code carried where the
// configuration says (the harness's findCode, as `verify` does), and for the default template a body
// valid against the contract. The same two checks as the k6 scripts (status, code), plus the contract.

import { findCode } from '../../core/judge/find-code.ts';
import { describeErrors, responseBodyValidator } from '../../openapi/contract.ts';
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

const validateCreated = responseBodyValidator('gameball', 'post', 'couponDelivery', '200');

export function judgeAnswer(code: string, answer: Answer, options: JudgeOptions): Verdict {
  const checksTotal = options.usesDefaultTemplate ? 3 : 2;
  const statusOk = answer.status === 200;
  // Only the default template's answer has a schema (the contract's), and only a 200 is held to it.
  // Parsed once: findCode then reads couponCode from the document rather than scanning the text again.
  const json = statusOk && options.usesDefaultTemplate && !answer.truncated ? parseJson(answer.body) : undefined;
  const codeOk =
    statusOk && findCode(json === undefined ? answer : { body: answer.body, document: json }, code, options).carries;
  // JSON is UTF-8: an answer in another encoding does not meet the contract, whatever it parses to.
  const schemaOk =
    !options.usesDefaultTemplate || (statusOk && !answer.invalidUtf8 && json !== undefined && validateCreated(json));
  const checksPassed = Number(statusOk) + Number(codeOk) + (options.usesDefaultTemplate ? Number(schemaOk) : 0);
  const base = { answered: true, status: answer.status, checksPassed, checksTotal };
  if (!statusOk) return { ...base, failure: 'status', detail: `HTTP ${answer.status}: ${snippet(answer.body)}` };
  if (!codeOk)
    return { ...base, failure: 'missing-code', detail: `200 without the code ${code}: ${snippet(answer.body)}` };
  if (!schemaOk) {
    const problems = answer.invalidUtf8
      ? ['the body is not valid UTF-8']
      : json === undefined
        ? ['the body is not JSON']
        : describeErrors(validateCreated.errors).map((p) => `${p.field || '(body)'} ${p.message}`);
    return { ...base, failure: 'schema', detail: `${problems.join('; ')}: ${snippet(answer.body)}` };
  }
  return base;
}

export function judgeNoAnswer(kind: 'timeout' | 'connection', detail: string, options: JudgeOptions): Verdict {
  return { answered: false, checksPassed: 0, checksTotal: options.usesDefaultTemplate ? 3 : 2, failure: kind, detail };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty body)';
}
