// A recorded delivery as inference reads it: the request's parts taken apart (path, query, headers
// by lower-cased name, the body parsed), and the code the endpoint answered with.
import { bodyText, type ExchangeRecord } from '../cassette/cassette-format.ts';
import { parseJson } from '../parse-json.ts';

export interface DeliveryView {
  seq: number;
  /** Milliseconds since the epoch. */
  at: number;
  method: string;
  path: string;
  query: readonly (readonly [string, string])[];
  /** By lower-cased name: the name as sent and the value (redacted where it was). */
  headers: ReadonlyMap<string, { name: string; value: string }>;
  /** The body's text (undefined: not UTF-8, or cut short). */
  text: string | undefined;
  /** The body parsed as JSON (undefined: not JSON). */
  document: unknown;
  /** The code in the endpoint's 200 answer, when the endpoint (not the recorder) answered with one. */
  answerCode: string | undefined;
  /** Where the delivery went (the recorder's forward target, or the stand-in's configured URL). */
  endpoint: string | undefined;
}

export function deliveryView(record: ExchangeRecord): DeliveryView {
  const url = new URL(record.request.url, 'http://recorded.invalid');
  const headers = new Map<string, { name: string; value: string }>();
  for (const [name, value] of Object.entries(record.request.headers)) headers.set(name.toLowerCase(), { name, value });
  const text = record.request.truncated ? undefined : bodyText(record.request);
  const answered = record.response?.from === 'endpoint' && record.response.status === 200;
  return {
    seq: record.seq,
    at: Date.parse(record.time),
    method: record.request.method.toUpperCase(),
    path: url.pathname,
    query: [...url.searchParams],
    headers,
    text,
    document: text === undefined || text === '' ? undefined : parseJson(text),
    answerCode: answered ? record.verdict.code : undefined,
    endpoint: record.endpoint,
  };
}

/** The value most deliveries share, and how many share it. */
export function mostCommon<T>(values: readonly T[], key: (value: T) => string = String): { value: T; count: number } {
  const counts = new Map<string, { value: T; count: number }>();
  for (const value of values) {
    const entry = counts.get(key(value)) ?? { value, count: 0 };
    entry.count += 1;
    counts.set(key(value), entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count)[0]!;
}
