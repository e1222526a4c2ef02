// Sends one request the way Gameball would: once, never retried, with a timeout, and records what
// happened (the first answer is what Gameball acts on). What the endpoint sends back is bounded: only
// a prefix of the body is kept, the rest is counted and thrown away up to a limit, and then the
// connection is dropped, so no answer (a 100 MiB error page, an endless stream) can exhaust memory.
import { isUtf8 } from 'node:buffer';
import type { RenderedRequest } from '../render/render-delivery.ts';
import { formatBytes } from './body-note.ts';
import { describeConnectionFailure } from './connection-failure.ts';

/** How much of an answer's body is kept by default: far more than any coupon answer needs. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Past the kept prefix the body is still read, and thrown away, up to this many bytes so that the
 * report can say how large it was; beyond it the connection is dropped.
 */
export const DISCARD_LIMIT_BYTES = 4 * 1024 * 1024;

export interface SendOptions {
  timeoutMs: number;
  /** Keep at most this many bytes of the body (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface ObservedResponse {
  status: number;
  headers: Record<string, string>;
  /**
   * The body as UTF-8 text (invalid sequences shown as U+FFFD); only its first `maxBodyBytes` when
   * `truncated`. Made from the kept bytes each time it is read: keep it if you need it twice.
   */
  body: string;
  /** The body parsed as JSON (each time it is read), or undefined when it is not JSON or was truncated. */
  json: unknown;
  /** Bytes of body received; when `abandoned`, the body is larger than this. */
  bodyBytes: number;
  /** True when the body was longer than `maxBodyBytes` and only its beginning is in `body`. */
  truncated: boolean;
  /** True when reading stopped at the discard limit and the connection was dropped before the body ended. */
  abandoned: boolean;
  /** True when the body is not valid UTF-8 (what JSON must be). */
  invalidUtf8: boolean;
}

export interface Exchange {
  request: RenderedRequest;
  /** The complete answer; absent when none came (see `error`), or when the body never completed. */
  response?: ObservedResponse;
  /** Transport failure (timeout, refused, reset, a body that stalled), in words. */
  error?: string;
  /**
   * The status and headers arrived but the body did not complete (it stalled until the timeout or
   * the connection closed). Such an answer is not one Gameball can act on, so `response` is absent.
   */
  partial?: { status: number; headers: Record<string, string>; bodyBytes: number };
  /** True when the body stalled: headers arrived, the rest did not come within the timeout. */
  stalled?: boolean;
  startedAt: number;
  durationMs: number;
}

export async function sendRequest(request: RenderedRequest, timeoutOrOptions: number | SendOptions): Promise<Exchange> {
  const options = typeof timeoutOrOptions === 'number' ? { timeoutMs: timeoutOrOptions } : timeoutOrOptions;
  const { timeoutMs } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const startedAt = performance.now();
  const elapsed = (): number => performance.now() - startedAt;
  // One controller for both ends of an exchange: the timeout (status line, headers and the whole
  // body) and dropping the connection at the discard limit. A plain timer: AbortSignal.timeout
  // combined through AbortSignal.any did not fire while a body stalled (Node 20).
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      redirect: 'manual',
      signal: controller.signal,
    });
  } catch (error) {
    clearTimeout(timer);
    return { request, error: describeFailure(error, timeoutMs), startedAt, durationMs: elapsed() };
  }
  const status = response.status;
  const headers = Object.fromEntries(response.headers);
  const body = await readBounded(response, maxBodyBytes, Math.max(maxBodyBytes, DISCARD_LIMIT_BYTES), () =>
    controller.abort(),
  ).finally(() => clearTimeout(timer));
  const durationMs = elapsed();
  if ('failure' in body) {
    const stalled = isTimeout(body.failure);
    const arrived = `HTTP ${status} and its headers arrived, then ${formatBytes(body.bodyBytes)} of the body`;
    return {
      request,
      error: stalled
        ? `the body stalled: ${arrived}, and the rest did not come within ${timeoutMs} ms (timed out)`
        : `the body was cut off: ${arrived}, and then the connection closed`,
      partial: { status, headers, bodyBytes: body.bodyBytes },
      ...(stalled ? { stalled: true } : {}),
      startedAt,
      durationMs,
    };
  }
  return {
    request,
    response: observedResponse(status, headers, body),
    startedAt,
    durationMs,
  };
}

type BoundedBody =
  | { bytes: Buffer; invalidUtf8: boolean; bodyBytes: number; truncated: boolean; abandoned: boolean }
  | { failure: unknown; bodyBytes: number };

/** Keeps the first `keep` bytes, counts and drops the rest up to `limit`, then gives up on the body. */
async function readBounded(response: Response, keep: number, limit: number, drop: () => void): Promise<BoundedBody> {
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  let bodyBytes = 0;
  const reader = response.body?.getReader();
  try {
    for (;;) {
      const next = reader ? await reader.read() : { done: true as const, value: undefined };
      if (next.done) break;
      const chunk = next.value;
      bodyBytes += chunk.byteLength;
      if (keptBytes < keep) {
        const part = chunk.byteLength <= keep - keptBytes ? chunk : chunk.subarray(0, keep - keptBytes);
        kept.push(part);
        keptBytes += part.byteLength;
      }
      if (bodyBytes > limit) {
        drop();
        await reader?.cancel().catch(() => undefined);
        return { ...decodeUtf8(Buffer.concat(kept, keptBytes), true), bodyBytes, truncated: true, abandoned: true };
      }
    }
  } catch (failure) {
    return { failure, bodyBytes };
  }
  const truncated = bodyBytes > keptBytes;
  return { ...decodeUtf8(Buffer.concat(kept, keptBytes), truncated), bodyBytes, truncated, abandoned: false };
}

/**
 * The kept bytes, less an incomplete character at the end of a body cut short (left out rather than
 * counted as invalid), and whether they are valid UTF-8.
 */
function decodeUtf8(bytes: Buffer, cutShort: boolean): { bytes: Buffer; invalidUtf8: boolean } {
  const whole = cutShort ? bytes.subarray(0, completeCharactersEnd(bytes)) : bytes;
  return { bytes: whole, invalidUtf8: !isUtf8(whole) };
}

/**
 * The response with its body kept as bytes, and `body` and `json` made from them each time they are
 * read. A run may hold dozens of answers at once (a burst of 30), and the bytes are the smallest
 * form: the text of invalid UTF-8 takes twice the room, and 1 MiB of `[{},{},…]` parses into tens
 * of megabytes. Whoever needs the text or the JSON for longer keeps it.
 */
function observedResponse(
  status: number,
  headers: Record<string, string>,
  body: { bytes: Buffer; invalidUtf8: boolean; bodyBytes: number; truncated: boolean; abandoned: boolean },
): ObservedResponse {
  const { bytes, ...facts } = body;
  // Invalid sequences become U+FFFD; a leading byte order mark is dropped, as `response.text()` does.
  const text = (): string =>
    bytes.toString('utf8', bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
  return {
    status,
    headers,
    get body() {
      return text();
    },
    get json() {
      return facts.truncated ? undefined : parseJson(text());
    },
    ...facts,
  };
}

/** Where the last complete UTF-8 character ends: the length, less an incomplete sequence at the end. */
function completeCharactersEnd(bytes: Uint8Array): number {
  // A sequence is at most 4 bytes: look back over up to 3 continuation bytes (10xxxxxx) for its lead.
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** The text as JSON, or undefined when it is not JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isTimeout(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'TimeoutError';
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (isTimeout(err)) return `no answer within ${timeoutMs} ms (timed out)`;
  const cause = err.cause;
  return describeConnectionFailure(cause?.code, cause?.message ?? err.message);
}

/**
 * The exchange with at most `maxChars` of the response body (then `truncated`, and without the parsed
 * JSON): what a run keeps of each exchange after its check is done, so that its memory stays flat
 * whatever the endpoint sends.
 */
export function withShortBody(exchange: Exchange, maxChars: number): Exchange {
  const { response } = exchange;
  // Bytes are at least as many as characters: a body of few bytes is kept as it is.
  if (!response || response.bodyBytes <= maxChars || response.body.length <= maxChars) return exchange;
  // A copy, not a slice: V8 slices keep the whole original string alive.
  const body = Buffer.from(response.body.slice(0, maxChars), 'utf16le').toString('utf16le');
  const { status, headers, bodyBytes, abandoned, invalidUtf8 } = response;
  return {
    ...exchange,
    response: { status, headers, body, json: undefined, bodyBytes, truncated: true, abandoned, invalidUtf8 },
  };
}
