// Replaces secrets by value in any text the kit prints or writes: wherever a secret occurs (a header
// the merchant echoes, an error message quoting the URL, a report), in every form it is written in
// (as it is, percent-encoded, form-encoded, inside a JSON or HTML string, base64), it becomes
// `<redacted>`. Only the run's own secrets are replaced: a URL with user-info that is not one of them
// (`postgres://user:password@host` in a hint) is left alone.
//
// A value shorter than `minimumSecretLength` is not replaced in free text: a header `X-Store: eg` or
// `version=2` would take every "eg" and "2" of the report with it. Such values are still hidden
// where their place is known (the configured header or query parameter of a request,
// redact-credentials.ts). Eight characters is GitLab's minimum for a masked CI variable, for the
// same reason.
import { escapeHtml } from '../report/html-escape.ts';

export const redactedMark = '<redacted>';

/** Values shorter than this are not replaced in free text (see above). */
export const minimumSecretLength = 8;

export interface Redactor {
  /** False for --show-secrets: text passes unchanged. */
  readonly active: boolean;
  /** The text with every secret replaced. */
  text(text: string): string;
  /** A copy of a JSON-like value (objects, arrays, strings) with every string, and every key, redacted. */
  deep<T>(value: T): T;
}

/** `--show-secrets`: nothing is replaced. */
export const showingSecrets: Redactor = { active: false, text: (text) => text, deep: (value) => value };

// The stand-in builds a redactor per delivery from the same few secrets: the last few are kept.
const recent = new Map<string, Redactor>();

export function createRedactor(values: Iterable<string>): Redactor {
  const list = [...values];
  const key = list.join('\u0000');
  let redactor = recent.get(key);
  if (!redactor) {
    redactor = buildRedactor(list);
    if (recent.size >= 8) recent.delete(recent.keys().next().value!);
    recent.set(key, redactor);
  }
  return redactor;
}

function buildRedactor(values: readonly string[]): Redactor {
  const forms = new Set<string>();
  for (const value of values) {
    if (value.length >= minimumSecretLength) for (const form of writtenForms(value)) forms.add(form);
  }
  // Longest first: where one secret contains another, the whole of the longer one goes.
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const secrets = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'g') : undefined;
  const text = (input: string): string => (secrets ? input.replace(secrets, redactedMark) : input);
  const deep = <T>(value: T): T => redactDeep(value, text) as T;
  return { active: true, text, deep };
}

/** The ways a value is written where the kit may meet it. */
function writtenForms(value: string): string[] {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  return [
    value,
    encodeURIComponent(value),
    new URLSearchParams([['', value]]).toString().slice(1),
    JSON.stringify(value).slice(1, -1),
    escapeHtml(value),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(value, 'utf8').toString('base64url'),
  ];
}

/** A copy with every string redacted; a value met twice is copied once, so shared parts stay shared. */
function redactDeep(value: unknown, text: (input: string) => string, copies = new Map<object, unknown>()): unknown {
  if (typeof value === 'string') return text(value);
  if (value === null || typeof value !== 'object') return value;
  if (copies.has(value)) return copies.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    for (const item of value) copy.push(redactDeep(item, text, copies));
    return copy;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  for (const [key, item] of Object.entries(value)) copy[text(key)] = redactDeep(item, text, copies);
  return copy;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
