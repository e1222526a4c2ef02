// The recorder's forwarding: the delivery goes to the endpoint unchanged (method, path and query
// under the forward URL, headers but the hop-by-hop ones, the body's bytes), and the answer comes
// back to Gameball as it arrives, while its first part is kept for the cassette. Bounded as the
// harness bounds answers: the first MiB kept, the rest counted, and past the discard limit both
// connections are dropped, so no answer can exhaust the recorder's memory.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { describeConnectionFailure } from '../http/connection-failure.ts';
import { DISCARD_LIMIT_BYTES } from '../http/send-request.ts';
import { userInfo } from '../user-info.ts';

/** Headers that belong to one connection, not to the message (RFC 9110 §7.6.1); host is the target's. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
]);

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 512, timeout: 5_000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 512, timeout: 5_000 }),
};

export interface ForwardLimits {
  timeoutMs: number;
  maxBodyBytes: number;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** The first part of the body, at most maxBodyBytes. */
  body: Buffer;
  bodyBytes: number;
}

export type ForwardOutcome = { answer: Answer } | { error: string; answer?: undefined };

/** The forward URL taken apart once: every delivery's target is then a string join, no URL to parse. */
export interface ForwardBase {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: string;
  /** The forward URL's origin, e.g. http://127.0.0.1:3000. */
  origin: string;
  /** Its path, and the same without a trailing slash. */
  path: string;
  base: string;
  /** Its own query, without the `?`. */
  query: string;
  /**
   * Its user-info decoded, `user:password`, sent as Basic auth when a delivery carries no
   * Authorization of its own (as curl and Node's http.request do with such a URL).
   */
  auth?: string;
}

export function forwardBase(forward: URL): ForwardBase {
  const auth = userInfo(forward);
  return {
    protocol: forward.protocol as ForwardBase['protocol'],
    hostname: forward.hostname.replace(/^\[|\]$/g, ''),
    port: forward.port,
    origin: forward.origin,
    path: forward.pathname,
    base: forward.pathname.replace(/\/$/, ''),
    query: forward.search.slice(1),
    ...(auth === undefined ? {} : { auth }),
  };
}

/** Where a delivery received at `received` (path and query) goes: the forward path joined with it, both queries kept. */
export function forwardPath(forward: ForwardBase, received: string): string {
  const at = received.indexOf('?');
  const path = at === -1 ? received : received.slice(0, at);
  const query = at === -1 ? '' : received.slice(at + 1);
  const joined = path === '/' || path === '' ? forward.path : `${forward.base}${path}`;
  const both = forward.query && query ? `${forward.query}&${query}` : forward.query || query;
  return both ? `${joined}?${both}` : joined;
}

export function forwardDelivery(
  incoming: IncomingMessage,
  received: Readonly<Record<string, string>>,
  body: Buffer,
  forward: ForwardBase,
  reply: ServerResponse,
  limits: ForwardLimits,
): Promise<ForwardOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: ForwardOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const fail = (error: string, status: number): void => {
      if (!reply.headersSent) {
        reply.writeHead(status, { 'content-type': 'application/json' });
        reply.end(
          JSON.stringify({
            code: status === 504 ? 'endpoint-timeout' : 'endpoint-unreachable',
            message: `gb-coupon record: ${error}`,
          }),
        );
      } else reply.destroy();
      finish({ error });
    };
    const outgoing = (forward.protocol === 'https:' ? https : http).request({
      protocol: forward.protocol,
      hostname: forward.hostname,
      port: forward.port,
      path: forwardPath(forward, incoming.url ?? '/'),
      method: incoming.method,
      headers: { ...forwardedHeaders(received), 'content-length': String(body.length) },
      agent: agents[forward.protocol],
      // Gameball's own Authorization, even an empty one, goes on as it came.
      ...(forward.auth === undefined || hasAuthorization(received) ? {} : { auth: forward.auth }),
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      fail(`no answer within ${limits.timeoutMs} ms (timed out)`, 504);
    }, limits.timeoutMs);
    outgoing.on('response', (upstream) => relay(upstream, reply, limits, finish, fail));
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      fail(describeConnectionFailure(error.code, error.message), 502),
    );
    outgoing.end(body);
  });
}

/**
 * Sends the answer back while keeping its first part. An answer of known, small length (a coupon
 * answer) is sent whole once it is in, in one write; any other is streamed as it comes, and past
 * the discard limit both sides are dropped.
 */
function relay(
  upstream: IncomingMessage,
  reply: ServerResponse,
  limits: ForwardLimits,
  finish: (outcome: ForwardOutcome) => void,
  fail: (error: string, status: number) => void,
): void {
  const status = upstream.statusCode ?? 502;
  const headers: Record<string, string> = {};
  for (const name in upstream.headers) {
    const value = upstream.headers[name];
    if (value !== undefined && !hopByHop.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const length = Number(upstream.headers['content-length'] ?? Number.NaN);
  const whole = length <= limits.maxBodyBytes;
  if (!whole) reply.writeHead(status, headers);
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let bodyBytes = 0;
  upstream.on('data', (chunk: Buffer) => {
    bodyBytes += chunk.length;
    if (keptBytes < limits.maxBodyBytes) {
      const part =
        keptBytes + chunk.length <= limits.maxBodyBytes ? chunk : chunk.subarray(0, limits.maxBodyBytes - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    }
    if (whole) return;
    if (bodyBytes > Math.max(limits.maxBodyBytes, DISCARD_LIMIT_BYTES)) {
      upstream.destroy();
      fail(`the answer was larger than ${DISCARD_LIMIT_BYTES} bytes; both connections were dropped`, 502);
    } else if (!reply.write(chunk)) {
      upstream.pause();
      reply.once('drain', () => upstream.resume());
    }
  });
  upstream.on('end', () => {
    const body = kept.length === 1 ? kept[0]! : Buffer.concat(kept, keptBytes);
    if (whole) reply.writeHead(status, { ...headers, 'content-length': String(body.length) }).end(body);
    else reply.end();
    finish({ answer: { status, headers, body, bodyBytes } });
  });
  upstream.on('error', () => fail(`the answer was cut off after ${bodyBytes} bytes of its body`, 502));
  upstream.on('close', () => {
    if (!upstream.complete) fail(`the answer was cut off after ${bodyBytes} bytes of its body`, 502);
  });
}

function hasAuthorization(received: Readonly<Record<string, string>>): boolean {
  for (const name in received) if (name.toLowerCase() === 'authorization') return true;
  return false;
}

/** The delivery's headers as received, names as sent, less those of the connection. */
function forwardedHeaders(received: Readonly<Record<string, string>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in received) if (!hopByHop.has(name.toLowerCase())) headers[name] = received[name]!;
  return headers;
}

/** The received headers as one object, names as sent (repeated ones joined), for the cassette. */
export function receivedHeaders(raw: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    headers[name] = headers[name] === undefined ? raw[i + 1]! : `${headers[name]}, ${raw[i + 1]}`;
  }
  return headers;
}
