// The load runner's HTTP client against real servers on 127.0.0.1: node:http for the ordinary
// answers, raw sockets for the ones node:http will not write (no length, not HTTP, two answers), and
// node:https with a test certificate. Each answer it reads is the one the target sent for that request.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RenderedRequest } from '../../core/render/render-delivery.ts';
import { type ClientOptions, createClient, type LoadClient, type Sent } from '../../loadtest/runner/client.ts';

const certificate = readFileSync(new URL('../support/tls/cert.pem', import.meta.url));
const key = readFileSync(new URL('../support/tls/key.pem', import.meta.url));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Served {
  origin: string;
  /** Connections the server accepted. */
  connections: number;
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
}

async function listen(server: Server, served: Served, scheme = 'http'): Promise<Served> {
  const sockets = new Set<Socket>();
  server.on(scheme === 'https' ? 'secureConnection' : 'connection', (socket: Socket) => {
    served.connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  served.origin = `${scheme}://127.0.0.1:${port}`;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return served;
}

type Handler = (req: IncomingMessage & { body: string }, res: ServerResponse) => void;

function reading(served: Served, handler: Handler) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      served.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(Object.assign(req, { body }), res);
    });
  };
}

async function httpTarget(handler: Handler, keepAliveTimeout = 60_000): Promise<Served> {
  const served: Served = { origin: '', connections: 0, requests: [] };
  const server = createHttpServer(reading(served, handler));
  server.keepAliveTimeout = keepAliveTimeout;
  return listen(server, served);
}

/** A server that writes `reply` (raw bytes) for each request it reads, then maybe closes. */
async function rawTarget(reply: (request: string) => { bytes: string | Buffer; close?: boolean }): Promise<Served> {
  const served: Served = { origin: '', connections: 0, requests: [] };
  const server = createNetServer((socket) => {
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      const request = buffered.slice(0, end + 4 + length);
      buffered = buffered.slice(end + 4 + length);
      served.requests.push({ method: request.split(' ')[0]!, url: request.split(' ')[1]!, headers: {}, body: '' });
      const { bytes, close } = reply(request);
      socket.write(bytes);
      if (close) socket.end();
    });
  });
  return listen(server, served);
}

function client(origin: string, connections = 1, timeoutMs = 2000, options: ClientOptions = {}): LoadClient {
  const made = createClient(origin, connections, timeoutMs, options);
  cleanups.push(() => made.close());
  return made;
}

const post = (origin: string, body = '{"code":"GB10-ABC"}', headers: Record<string, string> = {}): RenderedRequest => ({
  method: 'POST',
  url: `${origin}/coupons?shop=1`,
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

const send = (on: LoadClient, request: RenderedRequest): Promise<Sent> =>
  new Promise((resolve) => on.send(request, resolve));

/**
 * Sends `count` requests one after another, each from inside the last one's callback; "status body"
 * each. A request called back twice rejects.
 */
function closedLoop(on: LoadClient, origin: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const next = (): void => {
      if (seen.length === count) {
        resolve(seen);
        return;
      }
      const i = seen.length;
      let calledBack = false;
      on.send(post(origin, `r${i}`), (sent) => {
        if (calledBack) reject(new Error(`request r${i} was called back twice`));
        calledBack = true;
        seen.push(sent.ok ? `${sent.answer.status} ${sent.answer.body}` : `${sent.kind}: ${sent.message}`);
        next();
      });
    };
    next();
  });
}

function answered(sent: Sent) {
  if (!sent.ok) throw new Error(`expected an answer, got ${sent.kind}: ${sent.message}`);
  return sent.answer;
}

const echo: Handler = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ got: req.body }));
};

describe('the load client', () => {
  it('writes the request as given: method, path and query, host, headers, and the body with its length', async () => {
    const target = await httpTarget(echo);
    const body = '{"code":"GB10-É€😀"}';
    const answer = answered(
      await send(client(target.origin), post(target.origin, body, { authorization: 'Bearer t' })),
    );
    expect(answer).toMatchObject({
      status: 200,
      contentType: 'application/json',
      truncated: false,
      invalidUtf8: false,
    });
    expect(JSON.parse(answer.body)).toStrictEqual({ got: body });
    const [request] = target.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/coupons?shop=1', body });
    expect(request!.headers).toMatchObject({
      host: target.origin.slice('http://'.length),
      authorization: 'Bearer t',
      'content-length': String(Buffer.byteLength(body)),
    });
  });

  it('writes the headers as they are at each send, unless the headers object is frozen', async () => {
    const target = await httpTarget(echo);
    const on = client(target.origin);
    const headers: Record<string, string> = { 'x-round': '1' };
    await send(on, { method: 'POST', url: `${target.origin}/coupons`, headers, body: '{}' });
    headers['x-round'] = '2';
    await send(on, { method: 'POST', url: `${target.origin}/coupons`, headers, body: '{}' });
    const frozen = Object.freeze({ 'x-round': '3' });
    await send(on, { method: 'POST', url: `${target.origin}/coupons`, headers: frozen, body: '{}' });
    // The same frozen headers with another method, then another URL: each its own request line.
    await send(on, { method: 'PUT', url: `${target.origin}/coupons`, headers: frozen, body: '{}' });
    await send(on, { method: 'PUT', url: `${target.origin}/other?x=1`, headers: frozen, body: '{}' });
    expect(target.requests.map((r) => [r.method, r.url, r.headers['x-round']])).toStrictEqual([
      ['POST', '/coupons', '1'],
      ['POST', '/coupons', '2'],
      ['POST', '/coupons', '3'],
      ['PUT', '/coupons', '3'],
      ['PUT', '/other?x=1', '3'],
    ]);
  });

  it('keeps one connection alive for request after request', async () => {
    const target = await httpTarget(echo);
    const on = client(target.origin, 4);
    for (let i = 0; i < 30; i++) expect(answered(await send(on, post(target.origin, `{"n":${i}}`))).status).toBe(200);
    expect(target.connections).toBe(1);
    expect(target.requests.map((r) => r.body)).toStrictEqual(Array.from({ length: 30 }, (_, i) => `{"n":${i}}`));
  });

  it('pairs every answer with its own request when more are sent at once than there are connections', async () => {
    const target = await httpTarget(echo);
    const on = client(target.origin, 3);
    const bodies = Array.from({ length: 40 }, (_, i) => `{"n":${i}}`);
    const answers = await Promise.all(bodies.map((body) => send(on, post(target.origin, body))));
    expect(answers.map((sent) => JSON.parse(answered(sent).body).got)).toStrictEqual(bodies);
    expect(target.connections).toBeLessThanOrEqual(3);
  });

  it('opens a new connection after an answer that says Connection: close', async () => {
    const target = await httpTarget((req, res) => {
      res.writeHead(201, { connection: 'close', 'content-type': 'text/plain' }).end(req.body);
    });
    const on = client(target.origin);
    for (let i = 0; i < 5; i++)
      expect(answered(await send(on, post(target.origin, `x${i}`)))).toMatchObject({ status: 201, body: `x${i}` });
    expect(target.connections).toBe(5);
  });

  it("does not reuse a connection past the server's Keep-Alive timeout (less a second)", async () => {
    // node:http announces `Keep-Alive: timeout=1`: with the margin, no idle connection is reused.
    const target = await httpTarget(echo, 1000);
    const on = client(target.origin);
    for (let i = 0; i < 3; i++) expect(answered(await send(on, post(target.origin))).status).toBe(200);
    expect(target.connections).toBe(3);
  });

  it('reads chunked answers, answers with a length, and answers that end with the connection', async () => {
    const answers = [
      'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{"a":\r\n3\r\n"b"\r\n1\r\n}\r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 9\r\n\r\n{"a":"c"}',
      'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"a":"d"}',
    ];
    let next = 0;
    const target = await rawTarget(() => {
      const bytes = answers[next++ % answers.length]!;
      return { bytes, close: bytes.includes('connection: close') };
    });
    const on = client(target.origin);
    const bodies: string[] = [];
    for (let i = 0; i < 6; i++) bodies.push(answered(await send(on, post(target.origin))).body);
    expect(bodies).toStrictEqual(['{"a":"b"}', '{"a":"c"}', '{"a":"d"}', '{"a":"b"}', '{"a":"c"}', '{"a":"d"}']);
  });

  it('keeps the first megabyte of a larger answer and counts the rest', async () => {
    const size = 3 * 1024 * 1024 + 17;
    const target = await httpTarget((_req, res) => res.writeHead(200).end(Buffer.alloc(size, 0x61)));
    const answer = answered(await send(client(target.origin), post(target.origin)));
    expect(answer.truncated).toBe(true);
    expect(answer.bodyBytes).toBe(size);
    expect(answer.body.length).toBeGreaterThanOrEqual(1024 * 1024);
    expect(answer.body.length).toBeLessThan(size);
    expect(answer.invalidUtf8).toBe(false);
  });

  it('says when an answer is not valid UTF-8', async () => {
    const target = await httpTarget((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
    );
    expect(answered(await send(client(target.origin), post(target.origin))).invalidUtf8).toBe(true);
  });

  it('fails a request answered with something that is not HTTP, and goes on with a new connection', async () => {
    let first = true;
    const target = await rawTarget(() => {
      const bytes = first ? 'SMTP ready\r\n\r\n' : 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';
      first = false;
      return { bytes };
    });
    const on = client(target.origin);
    const refused = await send(on, post(target.origin));
    expect(refused).toMatchObject({ ok: false, kind: 'connection' });
    expect(refused.ok || refused.message).toMatch(/not valid HTTP/);
    expect(answered(await send(on, post(target.origin))).body).toBe('ok');
    expect(target.connections).toBe(2);
  });

  it('never pairs a request with bytes the target sent behind an earlier answer, whole or cut', async () => {
    const one = (body: string) => `HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n${body}`;
    for (const behind of [one('extra'), 'HTTP/1.1 200 OK\r\ncontent-le']) {
      let n = 0;
      const target = await rawTarget((request) => {
        n++;
        const own = one(request.slice(request.indexOf('\r\n\r\n') + 4));
        return { bytes: n === 1 ? own + behind : own };
      });
      const bodies = await closedLoop(client(target.origin, 1), target.origin, 4);
      expect(bodies).toStrictEqual(['200 r0', '200 r1', '200 r2', '200 r3']);
      // The connection that carried the stray bytes was given up.
      expect(target.connections).toBe(2);
    }
  });

  it("reads a new socket's answer with a new parser, whatever the old socket left unread", async () => {
    // The first answer closes its connection and is followed by the start of another; the next
    // request, sent from inside the first one's callback, is answered 500 on a new connection.
    let connection = 0;
    const served: Served = { origin: '', connections: 0, requests: [] };
    const server = createNetServer((socket) => {
      const which = ++connection;
      socket.once('data', (data: Buffer) => {
        const body = data.toString().split('\r\n\r\n')[1]!;
        const status = which === 1 ? '200 OK' : '500 Internal Server Error';
        const stray = which === 1 ? 'HTTP/1.1 200 OK\r\ncontent-le' : '';
        socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: ${body.length}\r\n\r\n${body}${stray}`);
      });
    });
    const target = await listen(server, served);
    expect(await closedLoop(client(target.origin, 1), target.origin, 3)).toStrictEqual(['200 r0', '500 r1', '500 r2']);
  });

  it('skips interim answers (100 Continue, 102, 103 Early Hints) and reads the final one', async () => {
    const hinting = await httpTarget((req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      echo(req, res);
    });
    const bodies = await closedLoop(client(hinting.origin, 1), hinting.origin, 3);
    expect(bodies.map((b) => JSON.parse(b.slice(4)).got)).toStrictEqual(['r0', 'r1', 'r2']);

    const final = (body: string) => `HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n${body}`;
    const interim = await rawTarget((request) => {
      const body = request.slice(request.indexOf('\r\n\r\n') + 4);
      return { bytes: `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n${final(body)}` };
    });
    expect(await closedLoop(client(interim.origin, 1), interim.origin, 3)).toStrictEqual([
      '200 r0',
      '200 r1',
      '200 r2',
    ]);
    expect(interim.connections).toBe(1);
  });

  it("calls back once per request, with its own answer, when each request is sent from the last one's callback", async () => {
    // As the --rate max loop does: the next request is written while the parser is still reading.
    let n = 0;
    const target = await httpTarget((req, res) => {
      n++;
      const headers = n % 7 === 0 ? { connection: 'close' } : {};
      res.writeHead(200, { 'content-type': 'text/plain', ...headers }).end(req.body);
    });
    const on = client(target.origin, 1);
    const bodies = await closedLoop(on, target.origin, 200);
    expect(bodies).toStrictEqual(Array.from({ length: 200 }, (_, i) => `200 r${i}`));
    expect(target.connections).toBe(Math.ceil(200 / 7));
  });

  it('opens a new connection when the server has closed an idle one', async () => {
    // The server answers, then closes its side without saying so beforehand (no Keep-Alive hint).
    const served: Served = { origin: '', connections: 0, requests: [] };
    const closed: Promise<void>[] = [];
    const server = createNetServer((socket) => {
      closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'));
    });
    const target = await listen(server, served);
    const on = client(target.origin, 1);
    for (let i = 0; i < 3; i++) {
      expect(answered(await send(on, post(target.origin))).body).toBe('ok');
      // The server's side is closed before the next request is sent.
      await closed[i];
    }
    expect(target.connections).toBe(3);
  });

  it('counts the bytes on the wire, headers included, and none for a connection that never opened', async () => {
    const reply = 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello';
    const requests: string[] = [];
    const target = await rawTarget((request) => {
      requests.push(request);
      return { bytes: reply };
    });
    const on = client(target.origin, 1);
    for (let i = 0; i < 3; i++) await send(on, post(target.origin, '{"code":"É"}', { 'x-note': 'café' }));
    // rawTarget reads bytes as latin1: one character per byte.
    expect([on.bytes.sent, on.bytes.received]).toStrictEqual([requests.join('').length, 3 * reply.length]);

    const origin = target.origin;
    await cleanups.splice(-2, 1)[0]!();
    const refused = client(origin, 2);
    for (let i = 0; i < 3; i++) expect((await send(refused, post(origin))).ok).toBe(false);
    expect([refused.bytes.sent, refused.bytes.received]).toStrictEqual([0, 0]);
  });

  it('answers 101 as it is and gives the connection up; 204 and 304 end at their headers, whatever length they claim', async () => {
    const answers = [
      'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n',
      'HTTP/1.1 204 No Content\r\ncontent-length: 20\r\n\r\n',
      'HTTP/1.1 304 Not Modified\r\ntransfer-encoding: chunked\r\n\r\n',
      'HTTP/1.1 100 Continue\r\ncontent-length: 7\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok',
    ];
    let next = 0;
    const target = await rawTarget(() => ({ bytes: answers[next++]! }));
    const on = client(target.origin, 1, 1000);
    const started = performance.now();
    expect(await closedLoop(on, target.origin, 4)).toStrictEqual(['101 ', '204 ', '304 ', '200 ok']);
    // Nothing waited for a body that never comes.
    expect(performance.now() - started).toBeLessThan(1000);
    // 101 leaves its connection to the other protocol.
    expect(target.connections).toBe(2);
  });

  it('times out a target that never answers, and one whose body trickles past the timeout', async () => {
    const silent = await httpTarget(() => undefined);
    const started = performance.now();
    expect(await send(client(silent.origin, 1, 300), post(silent.origin))).toStrictEqual({
      ok: false,
      kind: 'timeout',
      message: 'no answer within 300 ms',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);

    const trickling = await httpTarget((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 20);
      res.once('close', () => clearInterval(drip));
    });
    expect(await send(client(trickling.origin, 1, 300), post(trickling.origin))).toMatchObject({
      ok: false,
      kind: 'timeout',
    });
  });

  it('says connection refused when nothing listens, and the host name when it does not resolve', async () => {
    const target = await httpTarget(echo);
    const origin = target.origin;
    await cleanups.pop()!();
    expect(await send(client(origin), post(origin))).toStrictEqual({
      ok: false,
      kind: 'connection',
      message: 'connection refused: nothing is listening at that address',
    });
    const nowhere = 'http://gb-coupon-no-such-host.invalid:8080';
    expect(await send(client(nowhere), post(nowhere))).toStrictEqual({
      ok: false,
      kind: 'connection',
      message: 'the host name does not resolve',
    });
  });

  it('says the connection closed when the target hangs up without answering', async () => {
    const target = await httpTarget((_req, res) => res.socket?.destroy());
    expect(await send(client(target.origin), post(target.origin))).toStrictEqual({
      ok: false,
      kind: 'connection',
      message: 'the connection was closed without an answer',
    });
  });

  it('refuses to send a header that would split the request, and sends nothing', async () => {
    const target = await httpTarget(echo);
    const sent = await send(client(target.origin), post(target.origin, '{}', { 'x-evil': 'a\r\nx-injected: 1' }));
    expect(sent).toMatchObject({ ok: false, kind: 'connection' });
    expect(sent.ok || sent.message).toMatch(/"x-evil" has characters HTTP does not allow/);
    expect(target.requests).toHaveLength(0);
  });

  it('speaks TLS to an https target', async () => {
    const served: Served = { origin: '', connections: 0, requests: [] };
    const server = createHttpsServer({ cert: certificate, key }, reading(served, echo));
    const target = await listen(server, served, 'https');
    const on = client(target.origin, 1, 2000, { tls: { ca: certificate } });
    for (let i = 0; i < 3; i++)
      expect(JSON.parse(answered(await send(on, post(target.origin, `${i}`))).body)).toStrictEqual({ got: `${i}` });
    expect(target.connections).toBe(1);
    // On the wire: the same three requests in plain text, and over TLS with its handshake and records.
    const plain = await httpTarget(echo);
    const plainClient = client(plain.origin, 1);
    for (let i = 0; i < 3; i++) answered(await send(plainClient, post(plain.origin, `${i}`)));
    expect(on.bytes.sent).toBeGreaterThan(plainClient.bytes.sent + 200);
    // The server's certificate alone is over 700 bytes.
    expect(on.bytes.received).toBeGreaterThan(plainClient.bytes.received + 700);
    const untrusted = await send(client(target.origin), post(target.origin));
    expect(untrusted).toMatchObject({ ok: false, kind: 'connection' });
    expect(untrusted.ok || untrusted.message).toMatch(/TLS certificate is not trusted \(self-signed certificate\)/);
  });
});
