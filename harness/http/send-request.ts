// Sends one request the way Gameball would: once, never retried, with a timeout, and records what
// happened (the first answer is what Gameball acts on).
import type { RenderedRequest } from '../render/render-delivery.ts';

export interface ObservedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface Exchange {
  request: RenderedRequest;
  response?: ObservedResponse;
  /** Transport failure (timeout, refused, reset), in words. */
  error?: string;
  startedAt: number;
  durationMs: number;
}

export async function sendRequest(request: RenderedRequest, timeoutMs: number): Promise<Exchange> {
  const startedAt = performance.now();
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    const durationMs = performance.now() - startedAt;
    return {
      request,
      response: { status: response.status, headers: Object.fromEntries(response.headers), body, json: parseJson(body) },
      startedAt,
      durationMs,
    };
  } catch (error) {
    return { request, error: describeFailure(error, timeoutMs), startedAt, durationMs: performance.now() - startedAt };
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs} ms (timed out)`;
  const cause = err.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused: nothing is listening at that address';
  if (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET')
    return 'the connection was closed without an answer';
  if (cause?.code === 'ENOTFOUND') return 'the host name does not resolve';
  return cause?.message ?? err.message;
}
