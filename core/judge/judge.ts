// Would Gameball take this answer as a created coupon? The one place that decides it: verify's
// `accepted` and `response-conformance` checks, `gb-coupon trigger`, the stand-in's call to the
// merchant and the load runner all ask `judge`, so one answer gets one verdict, in one wording.
//
// The rules, in the order a verdict names them (its kind is the first failure's):
//   1. an answer (`no-answer`), exactly 200 (`status-not-200`): Gameball acts on nothing else;
//   2. the code, carried exactly where the configuration says (findCode: `code-missing`,
//      `answer-contradicts`); when the template has no {{code}} the merchant makes the code, and a
//      non-empty one at the code location is required (findMerchantCode) and returned;
//   3. for the default template, the contract's answer: the whole body (`body-truncated`), UTF-8
//      (`body-not-utf8`), `application/json` (`content-type-not-json`), JSON (`body-not-json`),
//      shaped as CouponCreated (`schema-mismatch`).
// Where the four parts used to disagree, verify's reading, the strictest, is now everyone's: the
// stand-in stored a coupon from a default-template 200 that was not UTF-8, and only verify looked at
// the content type and the schema. The default template's answer is JSON by contract, and JSON is
// UTF-8 (RFC 8259 §8.1). A custom template's answer has no schema and may be plain text, so there a
// body that is not UTF-8 is a warning, as verify has always said it: the code was found in what was
// read, but Gameball may read other bytes differently.
import { describeErrors, responseBodyValidator } from '../../openapi/contract.ts';
import type { components } from '../../openapi/generated/gameball.ts';
import type { CouponConfiguration } from '../config/coupon-configuration.ts';
import { usesDefaultTemplate } from '../config/default-configuration.ts';
import { type BodyFacts, bodyNote, describeAnswer, describeResponse } from '../http/body-note.ts';
import type { Exchange } from '../http/send-request.ts';
import { parseJson } from '../parse-json.ts';
import {
  type AnswerBody,
  type CodeLocation,
  findCode,
  findMerchantCode,
  type MerchantCodeJudgement,
} from './find-code.ts';
import { scanJson, type TopLevelValue } from './scan-json.ts';

/**
 * Why an answer is refused (or, for `body-not-utf8` of a custom template, warned about). Stable.
 * `duplicate-code` is never the judge's own: distinct-codes.ts gives it, reading answers together.
 */
export type ProblemKind =
  | 'no-answer'
  | 'status-not-200'
  | 'code-missing'
  | 'answer-contradicts'
  | 'duplicate-code'
  | 'body-truncated'
  | 'body-not-utf8'
  | 'content-type-not-json'
  | 'body-not-json'
  | 'schema-mismatch';

export interface AcceptanceFinding {
  /** A failure refuses the answer; a warning is advice. */
  severity: 'failure' | 'warning';
  kind: ProblemKind;
  /** One sentence saying what was received and what Gameball needs. */
  message: string;
}

/** The verdict: `accepted` true when Gameball would take the coupon as created; else `kind` is the first failure's. */
export type AcceptanceVerdict = VerdictFacts &
  ({ accepted: true; kind: 'accepted' } | { accepted: false; kind: ProblemKind });

interface VerdictFacts {
  /** One sentence: the first failure's message, or what was accepted. */
  detail: string;
  /** Every problem found, failures first (for a 200, also the contract's when the code is missing). */
  findings: readonly AcceptanceFinding[];
  /** The code the 200 carries (the one sent, or the merchant's own); absent when it carries none. */
  code?: string;
  /** Where the code is: a JSON pointer, or null for a plain-text body that is the code. */
  pointer?: string | null;
  /** Other places holding the same code. */
  alsoAt?: readonly string[];
}

/**
 * An answer as the judge reads it: an ObservedResponse fits, and so does the load runner's answer
 * (its content type given alone, without the other headers).
 */
export interface ResponseFacts extends BodyFacts {
  status: number;
  body: string;
  headers?: Readonly<Record<string, string>>;
  contentType?: string;
  /**
   * The body already parsed by the caller (undefined: not JSON, or truncated). ObservedResponse's
   * getter parses on each read: the judge reads it at most once, and only for the default template.
   */
  json?: unknown;
}

/** No answer came (a transport failure), or its body never completed (`incomplete`). */
export interface NoAnswer {
  error: string;
  incomplete?: boolean;
}

export type JudgedAnswer = Exchange | ResponseFacts | NoAnswer;

export interface SentDelivery {
  /** The code the delivery carried; undefined when the template has no {{code}}: the merchant makes it. */
  expectedCode: string | undefined;
}

/** Where the code must be, from the configuration and `--code-pointer`, as every caller derives it. */
export function codeLocationOf(config: CouponConfiguration, codePointer?: string): CodeLocation {
  return { usesDefaultTemplate: usesDefaultTemplate(config), ...(codePointer !== undefined ? { codePointer } : {}) };
}

const anythingBut200 = 'Gameball treats anything but 200 as a failed coupon.';
const noFindings: readonly AcceptanceFinding[] = Object.freeze([]);

/** The verdict on one answer: whether Gameball would take the coupon as created, and why. */
export function judge(answer: JudgedAnswer, sent: SentDelivery, configuration: CodeLocation): AcceptanceVerdict {
  const response = 'startedAt' in answer ? (answer.response ?? noAnswerOf(answer)) : answer;
  if (!('status' in response)) {
    const said = describeAnswer({ error: response.error, partial: response.incomplete });
    return refused('no-answer', `The delivery ${said}; ${anythingBut200}`);
  }
  if (response.status !== 200) {
    return refused('status-not-200', `The endpoint ${describeResponse(response)}; ${anythingBut200}`);
  }
  // The default template's answer is read once, for the schema, and findCode reads the same document.
  const parse = configuration.usesDefaultTemplate === true && !response.truncated;
  const body: AnswerBody = parse ? withDocument(response, sent.expectedCode) : response;
  const found = carriedCode(body, sent, configuration);
  const findings: AcceptanceFinding[] = [];
  if (!found.carries) {
    const note = bodyNote(response);
    findings.push({
      severity: 'failure',
      kind: found.kind,
      message: `The endpoint answered 200 but ${found.reason}${note ? ` (${note})` : ''}; Gameball shows the customer the code from your answer.`,
    });
  }
  if (configuration.usesDefaultTemplate) contractProblems(response, body.document, findings);
  else if (response.invalidUtf8) findings.push(notUtf8Warning);
  if (!found.carries) return { accepted: false, kind: found.kind, detail: findings[0]!.message, findings };
  const { code, pointer, alsoAt } = found;
  const failure = firstFailure(findings);
  if (failure) return { accepted: false, kind: failure.kind, detail: failure.message, findings, code, pointer, alsoAt };
  const detail = `The endpoint answered 200 with the code ${code}${pointer ? ` at ${pointer}` : ''}.`;
  const all = findings.length > 0 ? findings : noFindings;
  return { accepted: true, kind: 'accepted', detail, findings: all, code, pointer, alsoAt };
}

/** The code judgement, with the code carried: the one sent, or the merchant's own. */
function carriedCode(
  body: AnswerBody,
  sent: SentDelivery,
  location: CodeLocation,
): MerchantCodeJudgement | { carries: true; code: string; pointer: string | null; alsoAt: readonly string[] } {
  const expected = sent.expectedCode;
  if (expected === undefined) return findMerchantCode(body, location);
  const found = findCode(body, expected, location);
  return found.carries ? { carries: true, code: expected, pointer: found.pointer, alsoAt: found.alsoAt } : found;
}

function firstFailure(findings: readonly AcceptanceFinding[]): AcceptanceFinding | undefined {
  for (const finding of findings) if (finding.severity === 'failure') return finding;
  return undefined;
}

function refused(kind: ProblemKind, detail: string): AcceptanceVerdict {
  return { accepted: false, kind, detail, findings: [{ severity: 'failure', kind, message: detail }] };
}

function noAnswerOf(exchange: Exchange): NoAnswer {
  return { error: exchange.error ?? 'no answer', ...(exchange.partial ? { incomplete: true } : {}) };
}

/**
 * Up to this size the default template's answer is parsed (JSON.parse reads a small body fastest,
 * and its garbage is small); a larger one is scanned (scan-json.ts), which builds none of a JSON
 * bomb's values: verify judges every delivery, and 1 MiB of `[{},{},…]` parses into 350,000 objects.
 */
const parseLimitBytes = 64 * 1024;

/**
 * The answer with its document: the caller's parse or one here for a small body; for a large one
 * the document's top level with each nested value stood in for by an empty or one-member value.
 * Both give findCode the same top-level members, and the contract the same verdict, because
 * CouponCreated constrains top-level members only (test/core/judge.test.ts holds it to that).
 */
function withDocument(response: ResponseFacts, code: string | undefined): AnswerBody {
  const body = response.body;
  if ((response.bodyBytes ?? body.length) <= parseLimitBytes) {
    return { body, document: 'json' in response ? response.json : parseJson(body) };
  }
  const scan = scanJson(body, code ?? '');
  return { body, document: scan && topLevelOnly(scan.members) };
}

/** A document with the scanned top-level members (null stands in for a top level that is not an object). */
function topLevelOnly(members: ReadonlyMap<string, TopLevelValue> | undefined): unknown {
  if (members === undefined) return null;
  // No prototype, as in what JSON.parse gives: a member named __proto__ stays a member.
  const document: Record<string, unknown> = Object.create(null);
  for (const [name, value] of members) {
    const nested = value !== null && typeof value === 'object';
    if (!nested) document[name] = value;
    else if (value.nested === 'array') document[name] = value.empty ? [] : [null];
    else document[name] = value.empty ? {} : { '': null };
  }
  return document;
}

const validateCreated = responseBodyValidator<components['schemas']['CouponCreated']>(
  'gameball',
  'post',
  'couponDelivery',
  '200',
);

const jsonContentType = /^application\/([\w.+-]*\+)?json\b/i;

// Findings without details are shared by every verdict that has them, frozen.
const notUtf8Failure: AcceptanceFinding = Object.freeze({
  severity: 'failure',
  kind: 'body-not-utf8',
  message: 'The answer is not valid UTF-8; JSON must be UTF-8 (RFC 8259), so Gameball cannot rely on reading it.',
});

const notJson: AcceptanceFinding = Object.freeze({
  severity: 'failure',
  kind: 'body-not-json',
  message: 'The answer does not parse as JSON.',
});

const notUtf8Warning: AcceptanceFinding = Object.freeze({
  severity: 'warning',
  kind: 'body-not-utf8',
  message:
    'The answer is not valid UTF-8: if it is JSON it must be UTF-8 (RFC 8259), and Gameball may misread the code.',
});

/** The contract's rules for the default template's answer, each problem added to `findings`. */
function contractProblems(response: ResponseFacts, document: unknown, findings: AcceptanceFinding[]): void {
  // A body cut short is said once: by the code judgement when it could not read the code.
  if (response.truncated && !findings.some((f) => f.kind === 'body-truncated')) {
    const message = `The answer's body is larger than the part kept (${bodyNote(response)}), so it cannot be read as JSON.`;
    findings.push({ severity: 'failure', kind: 'body-truncated', message });
  }
  if (response.invalidUtf8) findings.push(notUtf8Failure);
  const contentType = response.contentType ?? response.headers?.['content-type'] ?? '';
  if (!jsonContentType.test(contentType)) {
    const message = `The answer's content type is "${contentType || 'missing'}"; it must be application/json.`;
    findings.push({ severity: 'failure', kind: 'content-type-not-json', message });
  }
  if (response.truncated) return;
  if (document === undefined) findings.push(notJson);
  else if (!validateCreated(document)) {
    const problems = describeErrors(validateCreated.errors).map((p) => `${p.field || '(body)'} ${p.message}`);
    const message = `The answer does not match the contract: ${problems.join('; ')}.`;
    findings.push({ severity: 'failure', kind: 'schema-mismatch', message });
  }
}
