// The cassette: what `gb-coupon record` (and the stand-in with --cassette) writes. JSON Lines, one
// record per line, append-only: a `cassette` line first (the format and its version), a `session`
// line each time a recorder starts writing to it, an `exchange` line per delivery and its answer,
// and an `end` line when a session closes cleanly. A crash leaves every finished line readable;
// only a line cut off mid-write is lost, and the reader says so. cassette.schema.json beside this
// file describes each line.
import { isUtf8 } from 'node:buffer';

export const cassetteFormat = 'gb-coupon-cassette';
/** Raised when a line changes in a way an older reader would misread. */
export const cassetteVersion = 1;

export interface CassetteHeader {
  type: 'cassette';
  format: typeof cassetteFormat;
  version: number;
  createdAt: string;
  tool: { name: string; version: string };
}

export interface SessionRecord {
  type: 'session';
  startedAt: string;
  /** `record`: the recorder proxy, between Gameball and the endpoint; `mock`: the stand-in's own calls. */
  source: 'record' | 'mock';
  /** Where the recorder listened (recorder sessions). */
  listen?: string;
  /** The endpoint deliveries were forwarded to (credentials in it redacted). */
  forward?: string;
  /** `default` or the answer file, when the recorder answered itself. */
  respond?: string;
  /** Header names whose values this session always redacts (besides those that look like credentials). */
  redact: string[];
}

/** A body as it came: UTF-8 text when it is valid UTF-8, else base64 of its bytes. */
export interface RecordedBody {
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  /** Bytes the body had in all (at least this many for a delivery refused as too large); more than kept when `truncated`. */
  bodyBytes: number;
  /** Only the first part of the body is kept (bounded as the harness bounds answers). */
  truncated?: boolean;
}

export interface RecordedRequest extends RecordedBody {
  method: string;
  /** The path and query as received. */
  url: string;
  /** The headers as received, names as sent; credential values redacted. */
  headers: Record<string, string>;
}

export interface RecordedResponse extends RecordedBody {
  status: number;
  headers: Record<string, string>;
  /** `endpoint`: the merchant's answer; `recorder`: `record --respond` answered itself. */
  from: 'endpoint' | 'recorder';
}

/** The kit's one judge (core/judge/judge.ts) on the answer. */
export interface RecordedVerdict {
  accepted: boolean;
  kind: string;
  detail: string;
  /** The code the delivery carried, as far as the kit could tell; absent: the merchant makes it. */
  sentCode?: string;
  /** The code the answer carries. */
  code?: string;
}

export interface ExchangeRecord {
  type: 'exchange';
  /** 1, 2, 3… over the whole file: `trigger --replay FILE#N` names a delivery by it. */
  seq: number;
  time: string;
  request: RecordedRequest;
  /** The URL the delivery went to (credentials redacted); absent when the recorder answered itself. */
  endpoint?: string;
  /** Absent when no complete answer came (see `error`). */
  response?: RecordedResponse;
  error?: string;
  latencyMs: number;
  verdict: RecordedVerdict;
  /** Names of the headers whose values were redacted in this record. */
  redacted?: string[];
}

export interface EndRecord {
  type: 'end';
  at: string;
  /** Exchanges recorded in the session this line closes. */
  exchanges: number;
}

export type CassetteRecord = CassetteHeader | SessionRecord | ExchangeRecord | EndRecord;

/** The bytes as a RecordedBody: text when they are UTF-8, else base64. */
export function recordedBody(bytes: Buffer, bodyBytes = bytes.length): RecordedBody {
  const utf8 = isUtf8(bytes);
  return {
    body: utf8 ? bytes.toString('utf8') : bytes.toString('base64'),
    bodyEncoding: utf8 ? 'utf8' : 'base64',
    bodyBytes,
    ...(bodyBytes > bytes.length ? { truncated: true } : {}),
  };
}

/** The body's text, or undefined when it is not UTF-8 (then it cannot be JSON). */
export function bodyText(recorded: RecordedBody): string | undefined {
  return recorded.bodyEncoding === 'utf8' ? recorded.body : undefined;
}

/** The body's bytes exactly as received. */
export function bodyBytes(recorded: RecordedBody): Buffer {
  return Buffer.from(recorded.body, recorded.bodyEncoding === 'utf8' ? 'utf8' : 'base64');
}
