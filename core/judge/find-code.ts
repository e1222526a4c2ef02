// Whether an answer carries the coupon code: the code rule of the one judge (judge.ts), which
// verify, `trigger`, the stand-in and the load runner ask; the checks that only need "200 with the
// code" (idempotency, stability, unicode, bad-input) use it directly. Exact, never a substring: an
// error message that quotes the code ("Could not create coupon GB10-…") does not carry it.
//   - default template: `couponCode` equals the code (the contract);
//   - `--code-pointer`: the string at that pointer equals the code;
//   - otherwise a JSON answer carries it when a string value anywhere equals it (its pointer is
//     reported so the user can pin it), and a non-JSON answer when the whole body, trimmed, is it.
// An answer that carries the code but also says it failed (`"success": false`, an `error` member)
// contradicts itself and does not count. When the template has no {{code}}, findMerchantCode reads
// the merchant's own code at its location instead.
import { formatPointer, parsePointer, valueAt } from '../../openapi/json-pointer.ts';
import type { ObservedResponse } from '../http/send-request.ts';
import { parseJson } from '../parse-json.ts';
import { scanJson, type TopLevelValue } from './scan-json.ts';

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
      /** `no-answer`, `code-missing`, `answer-contradicts`, or `body-truncated` when only its beginning was kept. */
      kind: 'no-answer' | 'code-missing' | 'answer-contradicts' | 'body-truncated';
      /** Why, as the end of a sentence: "the body does not carry the code GB10-…". */
      reason: string;
    };

/** An answer as findCode reads it. */
export type AnswerBody = Pick<ObservedResponse, 'body'> & {
  truncated?: boolean;
  /**
   * The whole body as JSON.parse read it, from a caller that parsed it anyway (the load runner, for
   * the contract's schema): the default template's judgement then takes its top-level members from
   * it instead of scanning the text again. Leave it out when the body is not JSON or was cut short.
   */
  document?: unknown;
};

export function findCode(response: AnswerBody | undefined, code: string, location: CodeLocation = {}): CodeJudgement {
  if (!response) return { carries: false, kind: 'no-answer', reason: 'there was no answer' };
  if (response.truncated) return cutShort(response, code);
  if (location.usesDefaultTemplate && location.codePointer === undefined && 'document' in response) {
    return judgeMembers(topLevelMembers(response.document), code);
  }
  // Read for the code, not parsed into a document (see scan-json.ts).
  const scan = scanJson(response.body, code);
  if (location.usesDefaultTemplate && location.codePointer === undefined) return judgeMembers(scan?.members, code);
  let found: string[];
  if (location.codePointer !== undefined) {
    const elsewhere = scan?.found ?? [];
    found = elsewhere.includes(formatPointer(parsePointer(location.codePointer))) ? [location.codePointer] : [];
    if (found.length === 0) {
      return missing(
        `${location.codePointer} does not hold the code ${code}${elsewhere.length > 0 ? ` (it is at ${elsewhere.join(', ')})` : ''}`,
      );
    }
  } else if (scan !== undefined) {
    found = scan.found;
    if (found.length === 0) return missing(`no JSON string value in the body equals the code ${code}`);
  } else {
    if (response.body.trim() !== code) {
      return missing(`the body is not JSON and is not the code ${code} by itself`);
    }
    return { carries: true, pointer: null, alsoAt: [] };
  }
  return contradicted(scan?.members) ?? { carries: true, pointer: found[0]!, alsoAt: found.slice(1) };
}

type NotCarried = Extract<CodeJudgement, { carries: false }>;

/** What findMerchantCode says: CodeJudgement, and when the answer carries a code, that code. */
export type MerchantCodeJudgement = NotCarried | { carries: true; code: string; pointer: string; alsoAt: string[] };

/**
 * The code the merchant made, for a template without {{code}}: a non-empty string at the configured
 * pointer, else at `/couponCode` (the contract's place, and Gameball's documented example). Unlike
 * findCode there is no code to look for, so the answer must be JSON that says where its code is: a
 * plain-text body ("OK", "created") cannot be told from a code. Contradicting answers do not count.
 */
export function findMerchantCode(response: AnswerBody | undefined, location: CodeLocation): MerchantCodeJudgement {
  if (!response) return { carries: false, kind: 'no-answer', reason: 'there was no answer' };
  if (response.truncated) return cutShort(response);
  const pointer = location.codePointer ?? '/couponCode';
  const segments = parsePointer(pointer);
  let members: ReadonlyMap<string, TopLevelValue> | undefined;
  let value: unknown;
  if ('document' in response) {
    members = topLevelMembers(response.document);
    value = valueAt(response.document, segments);
  } else {
    // A top-level member is read from the scan (no document built, see scan-json.ts); a deeper one needs the document.
    const text = response.body;
    const scan = scanJson(text, '');
    members = scan?.members;
    if (scan === undefined) value = undefined;
    else value = segments.length === 1 && members ? members.get(segments[0]!) : valueAt(parseJson(text), segments);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return missing(`${pointer} does not hold a code (the template has no {{code}}, so the answer must carry its own)`);
  }
  return contradicted(members) ?? { carries: true, code: value, pointer, alsoAt: [] };
}

/** The default template's answer is the contract's: the code is `couponCode`, at the top level. */
function judgeMembers(members: ReadonlyMap<string, TopLevelValue> | undefined, code: string): CodeJudgement {
  if (members?.get('couponCode') !== code) return missing(`the body has no "couponCode" equal to the code ${code}`);
  return contradicted(members) ?? { carries: true, pointer: '/couponCode', alsoAt: [] };
}

/** The judgement for a body that carries the code but says it failed; undefined when it does not. */
function contradicted(members: ReadonlyMap<string, TopLevelValue> | undefined): NotCarried | undefined {
  const failure = members && failureSignal(members);
  if (!failure) return undefined;
  return {
    carries: false,
    kind: 'answer-contradicts',
    reason: `the body carries the code but also says it failed (${failure}), so it contradicts itself`,
  };
}

/** A parsed document's top-level members as a scan gives them (nested values stood in for); undefined unless it is an object. */
function topLevelMembers(document: unknown): Map<string, TopLevelValue> | undefined {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined;
  const members = new Map<string, TopLevelValue>();
  for (const [name, value] of Object.entries(document)) {
    members.set(
      name,
      value !== null && typeof value === 'object'
        ? Array.isArray(value)
          ? { nested: 'array', empty: value.length === 0 }
          : { nested: 'object', empty: Object.keys(value).length === 0 }
        : (value as TopLevelValue),
    );
  }
  return members;
}

/**
 * Only the beginning of the body was kept (--max-body): what it carries cannot be read, and saying
 * "no code" of a body that starts with it would send the user looking in the wrong place.
 */
function cutShort(response: AnswerBody, code?: string): NotCarried {
  const held = code !== undefined && response.body.includes(code) ? ` (the part kept does hold ${code})` : '';
  return {
    carries: false,
    kind: 'body-truncated',
    reason: `the body was cut short, as it is larger than the part kept (--max-body), so the code cannot be read from it${held}`,
  };
}

function missing(reason: string): NotCarried {
  return { carries: false, kind: 'code-missing', reason };
}

/** A top-level member that says the request failed, in words; undefined when there is none. */
function failureSignal(body: ReadonlyMap<string, TopLevelValue>): string | undefined {
  for (const key of ['success', 'ok', 'succeeded']) {
    if (body.get(key) === false) return `"${key}": false`;
  }
  for (const key of ['error', 'errors']) {
    const value = body.get(key);
    if (value === undefined || value === null || value === false || value === '') continue;
    if (typeof value === 'object' && value.nested === 'array' && value.empty) continue;
    return `an "${key}" member`;
  }
  const status = body.get('status');
  if (typeof status === 'string' && /^(error|fail(ed|ure)?)$/i.test(status)) {
    return `"status": "${status}"`;
  }
  return undefined;
}
