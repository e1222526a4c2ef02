// The request target (path and query) read ONCE, before routing and before any decision on the path
// (control plane or Gameball's API, the stand-in's own operation or Prism's): every later step
// sees the same canonical path. As Gameball treats paths (*inference*, strong: its own SDKs mix
// `Integrations`/`integrations`): literal segments match without regard to case, duplicate
// slashes collapse, percent-encoding is decoded once. Dot segments (`..`, `.`, and their encoded
// forms `%2e%2e`, `%2E.`) and malformed percent-encoding are refused with a 400, so that no
// spelling of a path can reach another part of the stand-in than the one it names.
import { invalidRequest } from './errors.ts';

export interface RequestTarget {
  /** Canonical: segments decoded once and encoded again, literal segments spelt as the documents spell them. */
  path: string;
  query: URLSearchParams;
  /** The first segment is `__gb`: the stand-in's control plane. */
  isControl: boolean;
}

/** A path template of one of the stand-in's documents and the methods it has. */
export interface PathTemplate {
  template: string;
  methods: readonly string[];
}

/**
 * The method a request is answered as: HEAD as GET (HTTP semantics: the same status and headers;
 * node:http leaves out the body of an answer to HEAD).
 */
export function answeredAs(method: string): string {
  return method === 'HEAD' ? 'GET' : method;
}

/** Reads request targets against the path templates of the stand-in's documents. */
export function createTargetReader(templates: readonly PathTemplate[]): (raw: string, method: string) => RequestTarget {
  const canonical = createCanonicaliser(templates);
  return (raw, method) => {
    const [rawPath, rawQuery = ''] = splitTarget(raw);
    const decoded = rawPath
      .split('/')
      .filter((s) => s !== '')
      .map(decodeSegment);
    const segments = canonical(answeredAs(method), decoded);
    return {
      path: `/${segments.map(encodeURIComponent).join('/')}`,
      query: decodeQuery(rawQuery),
      isControl: segments[0] === '__gb',
    };
  };
}

/** Path and query of an origin-form (`/a?b`) or absolute-form (`http://host/a?b`) target. */
function splitTarget(raw: string): [string, string?] {
  let target = raw;
  if (!target.startsWith('/')) {
    const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(target);
    if (!absolute) throw invalidRequest(`the request target ${quoted(raw)} is not a path.`);
    target = absolute[1]!.startsWith('/') ? absolute[1]! : `/${absolute[1]}`;
  }
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  const mark = target.indexOf('?');
  return mark < 0 ? [target] : [target.slice(0, mark), target.slice(mark + 1)];
}

function decodeSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw invalidRequest(
      `the path segment ${quoted(segment)} has malformed percent-encoding (a % not followed by two hex digits, or bytes that are not UTF-8).`,
    );
  }
  if (decoded === '.' || decoded === '..') {
    throw invalidRequest(`the path has a dot segment (${quoted(segment)}); name the resource directly.`);
  }
  if (/\p{Cc}/u.test(decoded)) {
    throw invalidRequest(`the path segment ${quoted(segment)} holds a control character.`);
  }
  return decoded;
}

function decodeQuery(raw: string): URLSearchParams {
  const query = new URLSearchParams();
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const [key, value] = equals < 0 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
    try {
      query.append(decodeURIComponent(key.replaceAll('+', ' ')), decodeURIComponent(value.replaceAll('+', ' ')));
    } catch {
      throw invalidRequest(`the query parameter ${quoted(pair)} has malformed percent-encoding.`);
    }
  }
  return query;
}

interface Template {
  /** Literal segments lower-cased as written in the document; undefined where a parameter stands. */
  literals: (string | undefined)[];
  spelling: string[];
  methods: readonly string[];
}

/**
 * Respells the literal segments of a path as the first template of the request's method that
 * matches them without regard to case; templates with more literal segments are tried first, so
 * that /coupons/VALIDATE is /coupons/validate and not a lock reference (and a GET of customer
 * SOCIAL-CHALLENGES stays one: only POST has /customers/social-challenges). Parameters keep their
 * case.
 */
function createCanonicaliser(templates: readonly PathTemplate[]): (method: string, segments: string[]) => string[] {
  const parsed: Template[] = templates.map(({ template, methods }) => {
    const spelling = template.split('/').filter((s) => s !== '');
    const literals = spelling.map((s) => (/^\{[^}]+\}$/.test(s) ? undefined : s.toLowerCase()));
    return { spelling, literals, methods };
  });
  const literalCount = (t: Template) => t.literals.filter((s) => s !== undefined).length;
  parsed.sort((a, b) => literalCount(b) - literalCount(a));
  return (method, segments) => {
    const lower = segments.map((s) => s.toLowerCase());
    const found = parsed.find(
      (t) =>
        t.literals.length === segments.length &&
        t.methods.includes(method) &&
        t.literals.every((s, i) => s === undefined || s === lower[i]),
    );
    if (found) return segments.map((s, i) => (found.literals[i] === undefined ? s : found.spelling[i]!));
    // No template: still `__gb` for the control plane in any case, so that no spelling escapes it.
    return lower[0] === '__gb' ? ['__gb', ...segments.slice(1)] : segments;
  };
}

/** A piece of the raw target for a message: at most 80 characters, nothing unprintable. */
function quoted(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 80)}...` : text;
  return JSON.stringify(cut);
}
