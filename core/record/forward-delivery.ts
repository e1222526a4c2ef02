// The recorder's forwarding: the delivery goes to the endpoint unchanged (method, path and query
// under the forward URL, headers but the hop-by-hop ones, the body's bytes), and the answer comes
// back to Gameball as it arrives, while its first part is kept for the cassette. Bounded as the
// harness bounds answers: the first MiB kept, the rest counted, and past the discard limit both
// connections are dropped, so no answer can exhaust the recorder's memory.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { describeConnectionFailure } from '../http/connection-failure.ts';
import { DISCARD_LIMIT_BYTES } from '../http/send-request.ts';

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

/** Where a delivery received at `path` goes: the forward URL's path joined with it, both queries kept. */
export function forwardTarget(forward: URL, path: string): URL {
  const received = new URL(path, 'http://recorder.invalid');
  const target = new URL(forward);
  const base = target.pathname.replace(/\/$/, '');
  target.pathname = received.pathname === '/' ? target.pathname : `${base}${received.pathname}`;
  for (const [key, value] of received.searchParams) target.searchParams.append(key, value);
  return target;
}

export function forwardDelivery(
  incoming: IncomingMessage,
  body: Buffer,
  target: URL,
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
    const transport = target.protocol === 'https:' ? https : http;
    const outgoing = transport.request(target, {
      method: incoming.method,
      headers: { ...forwardedHeaders(incoming.rawHeaders), 'content-length': String(body.length) },
      agent: agents[target.protocol as 'http:' | 'https:'],
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

/** Streams the answer back while keeping its first part; past the discard limit, drops both sides. */
function relay(
  upstream: IncomingMessage,
  reply: ServerResponse,
  limits: ForwardLimits,
  finish: (outcome: ForwardOutcome) => void,
  fail: (error: string, status: number) => void,
): void {
  const status = upstream.statusCode ?? 502;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value !== undefined && !hopByHop.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const length = upstream.headers['content-length'];
  reply.writeHead(status, length === undefined ? headers : { ...headers, 'content-length': length });
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let bodyBytes = 0;
  upstream.on('data', (chunk: Buffer) => {
    bodyBytes += chunk.length;
    if (keptBytes < limits.maxBodyBytes) {
      const part = chunk.subarray(0, limits.maxBodyBytes - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    }
    if (bodyBytes > Math.max(limits.maxBodyBytes, DISCARD_LIMIT_BYTES)) {
      upstream.destroy();
      fail(`the answer was larger than ${DISCARD_LIMIT_BYTES} bytes; both connections were dropped`, 502);
      return;
    }
    if (!reply.write(chunk)) {
      upstream.pause();
      reply.once('drain', () => upstream.resume());
    }
  });
  upstream.on('end', () => {
    reply.end();
    finish({ answer: { status, headers, body: Buffer.concat(kept, keptBytes), bodyBytes } });
  });
  upstream.on('error', () => fail(`the answer was cut off after ${bodyBytes} bytes of its body`, 502));
  upstream.on('close', () => {
    if (!upstream.complete) fail(`the answer was cut off after ${bodyBytes} bytes of its body`, 502);
  });
}

/** The delivery's headers as received, names as sent, less those of the connection. */
function forwardedHeaders(raw: readonly string[]): Record<string, string> {
  const headers = receivedHeaders(raw);
  for (const name of Object.keys(headers)) if (hopByHop.has(name.toLowerCase())) delete headers[name];
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
