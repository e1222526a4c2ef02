// Sends one delivery to the merchant over node:http(s) with keep-alive connections, once, with a
// timeout on the whole exchange. The harness's sendRequest (fetch) is right for a judge that sends
// a few hundred requests; a stand-in making a delivery per redemption needs the cheaper client
// (about twice the rate of fetch here, measured by npm run bench:mock). It records the same
// Exchange, so the one judge (core/judge/judge.ts) judges it as verify does.
import { isUtf8 } from 'node:buffer';
import http from 'node:http';
import https from 'node:https';
import { DEFAULT_MAX_BODY_BYTES, DISCARD_LIMIT_BYTES, type Exchange } from '../../core/http/send-request.ts';
import type { RenderedRequest } from '../../core/render/render-delivery.ts';

// A timeout is what makes Node retire an idle pooled connection before the merchant's advertised
// keep-alive timeout (`Keep-Alive: timeout=5` less a second); without one the agent keeps it for
// ever, and a redemption after the merchant closed it failed on the reset (seen in bench:mock as
// 502s after a 5 s pause). Only idle sockets are destroyed: our own timer bounds a live exchange.
const idleMs = 5_000;
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256, timeout: idleMs }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256, timeout: idleMs }),
};

export function sendDelivery(request: RenderedRequest, timeoutMs: number): Promise<Exchange> {
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const url = new URL(request.url);
    const transport = url.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (result: Omit<Exchange, 'request' | 'startedAt' | 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ request, ...result, startedAt, durationMs: performance.now() - startedAt });
    };
    const outgoing = transport.request(
      url,
      {
        method: request.method,
        headers: {
          ...request.headers,
          ...(request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}),
        },
        agent: agents[url.protocol as 'http:' | 'https:'],
      },
      (response) => {
        // Bounded as the harness bounds it: the first MiB kept, the rest counted up to the discard
        // limit, then the connection dropped, so no answer can exhaust the stand-in's memory.
        const chunks: Buffer[] = [];
        let size = 0;
        const answered = (abandoned: boolean): void => {
          const kept = Buffer.concat(chunks).subarray(0, DEFAULT_MAX_BODY_BYTES);
          const truncated = size > DEFAULT_MAX_BODY_BYTES;
          const body = kept.toString('utf8');
          const headers: Record<string, string> = {};
          for (const [key, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
          }
          finish({
            response: {
              status: response.statusCode ?? 0,
              headers,
              body,
              json: truncated ? undefined : parseJson(body),
              bodyBytes: size,
              truncated,
              abandoned,
              invalidUtf8: !isUtf8(kept),
            },
          });
        };
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size - chunk.length < DEFAULT_MAX_BODY_BYTES) chunks.push(chunk);
          if (size > DISCARD_LIMIT_BYTES) {
            answered(true);
            outgoing.destroy();
          }
        });
        response.on('end', () => answered(false));
        response.on('error', (error) => finish({ error: describe(error) }));
      },
    );
    const timer = setTimeout(() => {
      finish({ error: `no answer within ${timeoutMs} ms (timed out)` });
      outgoing.destroy();
    }, timeoutMs);
    outgoing.on('error', (error) => finish({ error: describe(error) }));
    outgoing.end(request.body);
  });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function describe(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused: nothing is listening at that address';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'the connection was closed without an answer';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    default:
      return error.message;
  }
}
