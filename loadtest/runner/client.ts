// The HTTP side of a load run: one undici pool per target origin, sized to --connections, one
// request per connection at a time (no pipelining: Gameball does not pipeline). Node's fetch costs
// several times more per request, which shows at maximum rate.
import { Pool } from 'undici';
import type { RenderedRequest } from '../../harness/render/render-delivery.ts';

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

export type Sent = { ok: true; answer: Answer } | { ok: false; kind: 'timeout' | 'connection'; message: string };

export interface LoadClient {
  send(request: RenderedRequest): Promise<Sent>;
  close(): Promise<void>;
}

export function createClient(origin: string, connections: number, timeoutMs: number): LoadClient {
  const pool = new Pool(origin, {
    connections,
    pipelining: 1,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: timeoutMs,
  });
  // The URL is the same for every POST delivery: parsed once, not per request.
  let lastUrl = '';
  let lastPath = '';
  return {
    async send(request) {
      if (request.url !== lastUrl) {
        const url = new URL(request.url);
        lastUrl = request.url;
        lastPath = url.pathname + url.search;
      }
      try {
        const response = await pool.request({
          path: lastPath,
          method: request.method as 'POST',
          headers: request.headers,
          body: request.body ?? null,
        });
        const body = await response.body.text();
        const contentType = response.headers['content-type'];
        return {
          ok: true,
          answer: {
            status: response.statusCode,
            contentType: Array.isArray(contentType) ? contentType.join(', ') : (contentType ?? ''),
            body,
          },
        };
      } catch (error) {
        return describeFailure(error, timeoutMs);
      }
    },
    async close() {
      await pool.close();
    },
  };
}

function describeFailure(error: unknown, timeoutMs: number): Sent {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { ok: false, kind: 'timeout', message: `no answer within ${timeoutMs} ms` };
  }
  const words =
    code === 'ECONNREFUSED'
      ? 'connection refused: nothing is listening at that address'
      : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
        ? 'the connection was closed without an answer'
        : code === 'ENOTFOUND'
          ? 'the host name does not resolve'
          : (message ?? String(error));
  return { ok: false, kind: 'connection', message: words };
}
