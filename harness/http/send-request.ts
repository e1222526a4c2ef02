// Sends one request the way Gameball would: once, never retried, with a timeout, and records what
// happened (the first answer is what Gameball acts on). What the endpoint sends back is bounded: only
// a prefix of the body is kept, the rest is counted and thrown away up to a limit, and then the
// connection is dropped, so no answer (a 100 MiB error page, an endless stream) can exhaust memory.
import type { RenderedRequest } from '../render/render-delivery.ts';
import { formatBytes } from './body-note.ts';

/** How much of an answer's body is kept by default: far more than any coupon answer needs. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Past the kept prefix the body is still read, and thrown away, up to this many bytes so that the
 * report can say how large it was; beyond it the connection is dropped.
 */
export const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

export interface SendOptions {
  timeoutMs: number;
  /** Keep at most this many bytes of the body (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface ObservedResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as UTF-8 text (invalid sequences shown as U+FFFD); only its first `maxBodyBytes` when `truncated`. */
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON or was truncated. */
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
  // body) and dropping the connection at the discard limit. A plain timer rather than
  // AbortSignal.timeout combined with AbortSignal.any, which can be collected while a body stalls.
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
      body: request.body,
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
  const text = decodeUtf8(body.bytes, body.truncated);
  return {
    request,
    response: {
      status,
      headers,
      body: text.text,
      json: body.truncated ? undefined : parseJson(text.text),
      bodyBytes: body.bodyBytes,
      truncated: body.truncated,
      abandoned: body.abandoned,
      invalidUtf8: text.invalid,
    },
    startedAt,
    durationMs,
  };
}

type BoundedBody =
  | { bytes: Buffer; bodyBytes: number; truncated: boolean; abandoned: boolean }
  | { failure: unknown; bodyBytes: number };

/** Keeps the first `keep` bytes, counts and drops the rest up to `limit`, then gives up on the body. */
async function readBounded(response: Response, keep: number, limit: number, drop: () => void): Promise<BoundedBody> {
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  let bodyBytes = 0;
  if (!response.body) return { bytes: Buffer.alloc(0), bodyBytes, truncated: false, abandoned: false };
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bodyBytes += value.byteLength;
      if (keptBytes < keep) {
        // A copy, so that the rest of the chunk can be freed.
        const part = value.slice(0, keep - keptBytes);
        kept.push(part);
        keptBytes += part.byteLength;
      }
      if (bodyBytes > limit) {
        drop();
        await reader.cancel().catch(() => undefined);
        return { bytes: Buffer.concat(kept, keptBytes), bodyBytes, truncated: true, abandoned: true };
      }
    }
  } catch (failure) {
    return { failure, bodyBytes };
  }
  return { bytes: Buffer.concat(kept, keptBytes), bodyBytes, truncated: bodyBytes > keptBytes, abandoned: false };
}

/**
 * The bytes as UTF-8, and whether they are valid UTF-8. A truncated body may end inside a character;
 * that incomplete last character is left out rather than counted as invalid.
 */
function decodeUtf8(bytes: Uint8Array, truncated: boolean): { text: string; invalid: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated }), invalid: false };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes, { stream: truncated }), invalid: true };
  }
}

function parseJson(body: string): unknown {
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
  if (cause?.code === 'ECONNREFUSED') return 'connection refused: nothing is listening at that address';
  if (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET')
    return 'the connection was closed without an answer';
  if (cause?.code === 'ENOTFOUND') return 'the host name does not resolve';
  return cause?.message ?? err.message;
}
