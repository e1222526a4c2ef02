// Whether an answer carries the coupon code: the one judgement every check, `trigger` and the load
// runner share. Exact, never a substring: an error message that quotes the code ("Could not create
// coupon GB10-…") does not carry it.
//   - default template: `couponCode` equals the code (the contract);
//   - `--code-pointer`: the string at that pointer equals the code;
//   - otherwise a JSON answer carries it when a string value anywhere equals it (its pointer is
//     reported so the user can pin it), and a non-JSON answer when the whole body, trimmed, is it.
// An answer that carries the code but also says it failed (`"success": false`, an `error` member)
// contradicts itself and does not count.
import { escapeSegment, parsePointer, valueAt } from '../../openapi/json-pointer.ts';
import type { ObservedResponse } from '../http/send-request.ts';

export interface CodeLocation {
  /** JSON pointer where the code must be (`--code-pointer`). */
  codePointer?: string;
  /** The default template's answer is the contract's: the code is `couponCode`. */
  usesDefaultTemplate?: boolean;
}

export type CodeJudgement =
  | {
      carries: true;
      /** Where the code was found: a JSON pointer, or null for a plain-text body that is the code. */
      pointer: string | null;
      /** Other places holding the same code (the first one found is `pointer`). */
      alsoAt: string[];
    }
  | {
      carries: false;
      /** `no-answer`, `code-missing` or `answer-contradicts`. */
      kind: 'no-answer' | 'code-missing' | 'answer-contradicts';
      /** Why, as the end of a sentence: "the body does not carry the code GB10-…". */
      reason: string;
    };

export function findCode(
  response: Pick<ObservedResponse, 'body' | 'json'> | undefined,
  code: string,
  location: CodeLocation = {},
): CodeJudgement {
  if (!response) return { carries: false, kind: 'no-answer', reason: 'there was no answer' };
  const json = response.json;
  let found: string[];
  if (location.codePointer !== undefined) {
    found = valueAt(json, parsePointer(location.codePointer)) === code ? [location.codePointer] : [];
    if (found.length === 0) {
      const elsewhere = json === undefined ? [] : pointersTo(json, code);
      return missing(
        `${location.codePointer} does not hold the code ${code}${elsewhere.length > 0 ? ` (it is at ${elsewhere.join(', ')})` : ''}`,
      );
    }
  } else if (location.usesDefaultTemplate) {
    found = (json as { couponCode?: unknown } | undefined)?.couponCode === code ? ['/couponCode'] : [];
    if (found.length === 0) return missing(`the body has no "couponCode" equal to the code ${code}`);
  } else if (json !== undefined) {
    found = pointersTo(json, code);
    if (found.length === 0) return missing(`no JSON string value in the body equals the code ${code}`);
  } else {
    if (response.body.trim() !== code) {
      return missing(`the body is not JSON and is not the code ${code} by itself`);
    }
    return { carries: true, pointer: null, alsoAt: [] };
  }
  const failure = failureSignal(json);
  if (failure) {
    return {
      carries: false,
      kind: 'answer-contradicts',
      reason: `the body carries the code but also says it failed (${failure}), so it contradicts itself`,
    };
  }
  return { carries: true, pointer: found[0]!, alsoAt: found.slice(1) };
}

function missing(reason: string): CodeJudgement {
  return { carries: false, kind: 'code-missing', reason };
}

/** A top-level member that says the request failed, in words; undefined when there is none. */
function failureSignal(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const body = json as Record<string, unknown>;
  for (const key of ['success', 'ok', 'succeeded']) {
    if (body[key] === false) return `"${key}": false`;
  }
  for (const key of ['error', 'errors']) {
    const value = body[key];
    if (value === undefined || value === null || value === false || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    return `an "${key}" member`;
  }
  if (typeof body.status === 'string' && /^(error|fail(ed|ure)?)$/i.test(body.status)) {
    return `"status": "${body.status}"`;
  }
  return undefined;
}

/** Every JSON pointer whose value is the string `code`, in document order. */
function pointersTo(json: unknown, code: string, at = ''): string[] {
  if (json === code) return [at === '' ? '' : at];
  if (json === null || typeof json !== 'object') return [];
  const entries = Array.isArray(json) ? json.map((v, i) => [String(i), v] as const) : Object.entries(json);
  return entries.flatMap(([key, value]) => pointersTo(value, code, `${at}/${escapeSegment(key)}`));
}
