// What the recorder writes of a delivery's headers and query: names kept, credential values
// redacted. Which entries are credentials is decided the way the kit decides it for a
// configuration (core/config/credentials.ts: names and scheme words; when nothing looks like one,
// every entry the merchant could have configured counts), over the entries Gameball's transport
// does not add itself; cookies and the --redact names always count. The replacing is the kit's one
// redaction (core/redact/redact-credentials.ts).
import type { CouponConfiguration } from '../config/coupon-configuration.ts';
import { configuredCredentials } from '../config/credentials.ts';
import { redactCredentials } from '../redact/redact-credentials.ts';
import type { Redactor } from '../redact/redactor.ts';
import { redactorFor, secretValues } from '../redact/secret-values.ts';

/** Headers a client or a proxy adds on its own: never something the merchant configured. */
const transportHeaders = new Set([
  'host',
  'content-type',
  'content-length',
  'user-agent',
  'accept',
  'accept-encoding',
  'accept-language',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'expect',
  'upgrade',
  'via',
  'forwarded',
  'origin',
  'referer',
  'cache-control',
  'pragma',
  'traceparent',
  'tracestate',
  'baggage',
  'sentry-trace',
  'x-request-id',
  'x-correlation-id',
  'x-amzn-trace-id',
  'x-real-ip',
  'cdn-loop',
  'x-gb-webhook-version',
]);

export const isTransportHeader = (name: string): boolean =>
  transportHeaders.has(name.toLowerCase()) || /^(x-forwarded-|sec-fetch-|sec-ch-)/i.test(name);

/** Always redacted, whatever else the request carries. */
const alwaysSecret = ['cookie', 'set-cookie', 'proxy-authorization'];

export interface RedactedEntries {
  /** The headers, names as given, credential values redacted. */
  headers: Record<string, string>;
  /** The URL with credential query values redacted. */
  url: string;
  /** Lower-cased names of the headers (and `?name` of the query parameters) that were redacted. */
  redacted: string[];
  /**
   * Replaces the values redacted here (and `secrets`) by value wherever else they occur: in an
   * answer that echoes a credential, in the verdict quoting that answer, in the body.
   */
  redactor: Redactor;
}

/** What redacting one set of entries gave: the redacted values by lower-cased name, the URL, the names. */
interface Redaction {
  values: Map<string, string>;
  url: string;
  redacted: string[];
  redactor: Redactor;
}

/**
 * The deliveries of one configuration carry the same credentials, so the redaction of the last
 * few sets of entries is kept (a few dozen at most) rather than worked out again for each.
 */
const recent = new Map<string, Redaction>();

/**
 * The headers and URL of a received delivery with credential values redacted; `secrets` are more
 * values to replace wherever they occur (the forward URL's own credentials).
 */
export function redactReceived(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  always: readonly string[],
  secrets: readonly string[] = [],
): RedactedEntries {
  const lower: Record<string, string> = {};
  let key = `${method} ${url}\n${always.join(',')}\n${secrets.join('\n')}`;
  for (const name in headers) {
    const low = name.toLowerCase();
    lower[low] = headers[name]!;
    if (!isTransportHeader(low) || always.includes(low)) key += `\n${low}: ${headers[name]}`;
  }
  let redaction = recent.get(key);
  if (!redaction) {
    if (recent.size >= 64) recent.clear();
    redaction = redactEntries(method, url, lower, always, secrets);
    recent.set(key, redaction);
  }
  const shown: Record<string, string> = {};
  for (const name in headers) shown[name] = redaction.values.get(name.toLowerCase()) ?? headers[name]!;
  return { headers: shown, url: redaction.url, redacted: redaction.redacted, redactor: redaction.redactor };
}

function redactEntries(
  method: string,
  url: string,
  lower: Readonly<Record<string, string>>,
  always: readonly string[],
  secrets: readonly string[],
): Redaction {
  // Most deliveries have no query: then there is no URL to parse, here or after the redaction.
  const query = url.includes('?') ? [...new URL(url).searchParams] : [];
  const candidates: CouponConfiguration = {
    url,
    method: 'POST',
    headers: Object.entries(lower)
      .filter(([name]) => !isTransportHeader(name))
      .map(([key, value]) => ({ key, value })),
    queryParams: query.map(([key, value]) => ({ key, value })),
  };
  const credentials = configuredCredentials(candidates);
  const asConfig = (entries: typeof credentials): CouponConfiguration => ({
    url,
    method: 'POST',
    headers: entries.filter((c) => c.kind === 'header').map(({ key, value }) => ({ key, value })),
    queryParams: entries.filter((c) => c.kind === 'query').map(({ key, value }) => ({ key, value })),
  });
  let request =
    credentials.length > 0
      ? redactCredentials({ method, url, headers: lower }, asConfig(credentials))
      : { method, url, headers: lower };
  // Each name that must always be redacted on its own: a configuration of one entry always counts it.
  for (const name of [...alwaysSecret, ...always.map((n) => n.toLowerCase())]) {
    const value = request.headers[name];
    if (value !== undefined) {
      request = redactCredentials(request, asConfig([{ kind: 'header', key: name, value }]));
    }
  }
  const redacted = Object.keys(lower).filter((name) => request.headers[name] !== lower[name]);
  const after = query.length > 0 ? new URL(request.url).searchParams : undefined;
  const queryRedacted = [...new Set(query.map(([key]) => key))].filter(
    (key) => after?.get(key) !== query.find(([k]) => k === key)![1],
  );
  const values = new Map(redacted.map((name) => [name, request.headers[name]!]));
  // Every value hidden here is hidden by value everywhere else in the record too.
  const hidden = asConfig([
    ...redacted.map((name) => ({ kind: 'header' as const, key: name, value: lower[name]! })),
    ...query
      .filter(([key]) => queryRedacted.includes(key))
      .map(([key, value]) => ({ kind: 'query' as const, key, value })),
  ]);
  return {
    values,
    url: request.url,
    redacted: [...redacted, ...queryRedacted.map((key) => `?${key}`)],
    // The received URL's other query values are no secrets: only what was redacted counts.
    redactor: redactorFor({ config: { ...hidden, url: 'http://recorder.invalid/' }, keys: secrets }),
  };
}

/** The secrets of the forward URL itself (its user-info, its query values), to hide wherever they occur. */
export function forwardSecrets(forward: URL): string[] {
  return secretValues({ config: { url: forward.toString(), method: 'POST' } });
}

/** Headers of an answer: cookies and the --redact names redacted. */
export function redactAnswerHeaders(
  headers: Readonly<Record<string, string>>,
  always: readonly string[],
): Record<string, string> {
  const secret = new Set([...alwaysSecret, ...always.map((n) => n.toLowerCase())]);
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!secret.has(name.toLowerCase())) shown[name] = value;
    else {
      const config: CouponConfiguration = {
        url: 'http://answer.invalid',
        method: 'POST',
        headers: [{ key: name, value }],
      };
      const request = { method: 'POST', url: config.url, headers: { [name.toLowerCase()]: value } };
      shown[name] = redactCredentials(request, config).headers[name.toLowerCase()]!;
    }
  }
  return shown;
}
