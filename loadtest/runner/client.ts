// The HTTP side of a load run: one undici pool per target origin, sized to --connections, one
// request per connection at a time (no pipelining: Gameball does not pipeline). Node's fetch costs
// several times more per request, which shows at maximum rate.
import { isUtf8 } from 'node:buffer';
import { Pool } from 'undici';
import type { RenderedRequest } from '../../harness/render/render-delivery.ts';

export interface Answer {
  status: number;
  contentType: string;
  /** The body as UTF-8 text; its first megabyte when `truncated`. */
  body: string;
  bodyBytes: number;
  truncated: boolean;
  invalidUtf8: boolean;
}

export type Sent = { ok: true; answer: Answer } | { ok: false; kind: 'timeout' | 'connection'; message: string };

export interface LoadClient {
  send(request: RenderedRequest): Promise<Sent>;
  close(): Promise<void>;
}

const maxBodyBytes = 1024 * 1024;

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
      // dispatch with a handler, not pool.request: no Readable stream per answer, which is most of
      // the client's cost at maximum rate.
      return new Promise<Sent>((resolve) => {
        let status = 0;
        let contentType = '';
        const chunks: Buffer[] = [];
        let size = 0;
        pool.dispatch(
          { path: lastPath, method: request.method as 'POST', headers: request.headers, body: request.body ?? null },
          {
            // Its presence tells undici this is a handler of its current (v7) interface.
            onRequestStart() {},
            onResponseStart(_controller, statusCode, headers) {
              status = statusCode;
              const type = headers['content-type'];
              contentType = Array.isArray(type) ? type.join(', ') : (type ?? '');
            },
            onResponseData(_controller, chunk) {
              // An endless answer is judged on its first megabyte rather than filling memory.
              if (size < maxBodyBytes) chunks.push(chunk);
              size += chunk.length;
            },
            onResponseEnd() {
              const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
              const truncated = size > maxBodyBytes;
              resolve({
                ok: true,
                answer: {
                  status,
                  contentType,
                  body: bytes.toString(),
                  bodyBytes: size,
                  truncated,
                  // A cut may split a character: only a complete body is judged for its encoding.
                  invalidUtf8: !truncated && !isUtf8(bytes),
                },
              });
            },
            onResponseError(_controller, error) {
              resolve(describeFailure(error, timeoutMs));
            },
          },
        );
      });
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
