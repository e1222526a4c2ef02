// Sends one delivery to the merchant over node:http(s) with keep-alive connections, once, with a
// timeout on the whole exchange. The harness's sendRequest (fetch) is right for a judge that sends
// a few hundred requests; a stand-in making a delivery per redemption needs the cheaper client
// (about twice the rate of fetch here, measured by npm run bench:mock). It records the same
// Exchange, so the one judge (core/judge/judge.ts) judges it as verify does.
import { isUtf8 } from 'node:buffer';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { describeConnectionFailure } from '../../core/http/connection-failure.ts';
import { DEFAULT_MAX_BODY_BYTES, DISCARD_LIMIT_BYTES, type Exchange } from '../../core/http/send-request.ts';
import { parseJson } from '../../core/parse-json.ts';
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

type Outcome = Omit<Exchange, 'request' | 'startedAt' | 'durationMs'>;

export function sendDelivery(request: RenderedRequest, timeoutMs: number): Promise<Exchange> {
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const url = new URL(request.url);
    let settled = false;
    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ request, ...outcome, startedAt, durationMs: performance.now() - startedAt });
    };
    const failed = (error: NodeJS.ErrnoException): void =>
      finish({ error: describeConnectionFailure(error.code, error.message) });
    const outgoing = (url.protocol === 'https:' ? https : http).request(url, requestOptions(request, url), (response) =>
      collectAnswer(
        response,
        (answer) => {
          finish({ response: answer });
          if (answer.abandoned) outgoing.destroy();
        },
        failed,
      ),
    );
    // The timer can fire late, after this process was busy for a while (Prism loading at start
    // takes the event loop for 100 ms and more, several times that on a loaded machine). Timers run
    // before the loop reads the sockets, so an answer that arrived meanwhile would be taken for a
    // timeout: one turn of the loop lets it be read first (setImmediate runs after the I/O poll).
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (settled) return;
          finish({ error: `no answer within ${timeoutMs} ms (timed out)` });
          outgoing.destroy();
        }),
      timeoutMs,
    );
    outgoing.on('error', failed);
    outgoing.end(request.body);
  });
}

function requestOptions(request: RenderedRequest, url: URL): http.RequestOptions {
  const length = request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {};
  return {
    method: request.method,
    headers: { ...request.headers, ...length },
    agent: agents[url.protocol as 'http:' | 'https:'],
  };
}

type ObservedResponse = NonNullable<Exchange['response']>;

/**
 * Reads the answer bounded as the harness bounds it: the first MiB kept, the rest counted up to the
 * discard limit, where reading stops (`abandoned`: the caller drops the connection), so no answer
 * can exhaust the stand-in's memory.
 */
function collectAnswer(
  response: IncomingMessage,
  done: (answer: ObservedResponse) => void,
  failed: (error: NodeJS.ErrnoException) => void,
): void {
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
    const json = truncated ? undefined : parseJson(body);
    const status = response.statusCode ?? 0;
    done({ status, headers, body, json, bodyBytes: size, truncated, abandoned, invalidUtf8: !isUtf8(kept) });
  };
  response.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size - chunk.length < DEFAULT_MAX_BODY_BYTES) chunks.push(chunk);
    if (size > DISCARD_LIMIT_BYTES) answered(true);
  });
  response.on('end', () => answered(false));
  response.on('error', failed);
}
