// Every secret a run's settings can hold, by value: what the configuration sends (each header value,
// each query parameter, the user and password in its URL, a literal the payload template gives a
// member named like a credential), the signing secret, what `--lookup` carries, and keys given on
// the command line. For headers and query parameters names do not decide (`X-Shop-Credential` and
// `X-Client-Pass` are as secret as `Authorization`); only the headers HTTP defines as describing the
// body are left out, as their values (`application/json`) are never credentials and occur in every
// answer. In the body most literals are not secrets (`"shop": "eg"`), so there the name decides
// (payload-credentials.ts).
import type { CouponConfiguration } from '../config/coupon-configuration.ts';
import { safeDecode, userInfo } from '../user-info.ts';
import { credentialMembers } from './payload-credentials.ts';
import { createRedactor, minimumSecretLength, type Redactor } from './redactor.ts';

export interface SecretSources {
  config?: CouponConfiguration | undefined;
  signingSecret?: string | undefined;
  /** `--lookup` as given, with or without its method: `GET https://user:pass@shop.example/c/{code}?key=…`. */
  lookup?: string | undefined;
  /** Other keys: Gameball's API and secret keys, the stand-in's. */
  keys?: readonly (string | undefined)[];
}

const describingHeaders = new Set([
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'content-language',
  'content-type',
  'user-agent',
]);

/** Whether a configured header's value is kept: HTTP defines it as describing the body. */
export function describesBody(headerName: string): boolean {
  return describingHeaders.has(headerName.trim().toLowerCase());
}

/** The redactor of a run: every secret its settings hold, replaced wherever it is printed or written. */
export function redactorFor(sources: SecretSources): Redactor {
  return createRedactor(secretValues(sources));
}

/** The values, each once; forms derived from them (encodings) are the redactor's business. */
export function secretValues(sources: SecretSources): string[] {
  const values: string[] = [];
  const { config } = sources;
  if (config) {
    for (const { key, value } of config.headers ?? []) if (!describesBody(key)) values.push(...headerSecrets(value));
    for (const { value } of config.queryParams ?? []) values.push(value);
    values.push(...urlSecrets(config.url));
    for (const { literal } of credentialMembers(config.payload ?? '')) values.push(...headerSecrets(literal));
  }
  if (sources.signingSecret) values.push(sources.signingSecret);
  if (sources.lookup) values.push(...urlSecrets(lookupUrl(sources.lookup)));
  for (const key of sources.keys ?? []) if (key) values.push(key);
  return [...new Set(values.filter((value) => value.trim() !== ''))];
}

// The HTTP authentication schemes and the words APIs use like them: what stays visible before a token.
const schemeWords = /^(bearer|basic|token|digest|hmac|apikey|api-key|key|jwt|oauth|negotiate|signature)\s+\S/i;

/** `Bearer` of `Bearer abc…`, undefined when the value does not start with a scheme word. */
export function authScheme(value: string): string | undefined {
  return schemeWords.exec(value.trim())?.[1];
}

/**
 * `Bearer abc…` gives the token alone, so that text keeps its scheme word (`Bearer <redacted>`);
 * `Basic dXNl…` gives the base64 and what it decodes to (`user:password`, each part).
 */
function headerSecrets(value: string): string[] {
  const scheme = authScheme(value);
  if (!scheme) return [value];
  const credential = value.trim().slice(scheme.length).trim();
  // The whole value only when the token is too short to be replaced alone.
  const found = credential.length >= minimumSecretLength ? [credential] : [value];
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    if (decoded.includes(':')) found.push(decoded, ...decoded.split(':'));
  }
  return found;
}

/** The user and password of `http://user:pass@host` (as written and decoded, and as Basic auth), and every query value. */
function urlSecrets(text: string): string[] {
  let url: URL;
  try {
    url = new URL(text.replaceAll('{code}', 'CODE'));
  } catch {
    return [];
  }
  const found = [...url.searchParams.values()];
  for (const part of [url.username, url.password]) if (part) found.push(part, safeDecode(part));
  const pair = userInfo(url);
  if (pair !== undefined) {
    // The pair as a URL writes it, so that a user name too short to go alone goes with its password,
    // and as a client sends it (Node's http does, the recorder too): Basic base64("user:password").
    found.push(`${url.username}:${url.password}`, pair, Buffer.from(pair).toString('base64'));
  }
  return found;
}

/** `GET https://…` or the URL alone. */
function lookupUrl(lookup: string): string {
  return /^\s*(?:[A-Za-z]+\s+)?(\S+)/.exec(lookup)?.[1] ?? lookup;
}
