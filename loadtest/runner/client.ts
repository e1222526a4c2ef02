// The HTTP side of a load run: keep-alive HTTP/1.1 connections to one origin, at most one request on
// each at a time (no pipelining: Gameball does not pipeline), each request written whole in one
// write, answers read by http-parser-js (the parser autocannon uses).
//
// Why not undici: at maximum rate the client is most of the runner's cost, and the target shares the
// machine's cores with it. undici's per-request work (its Request object, header validation and
// copies, the handler adapters) cost about 65-80 µs of CPU per request here, against 50-60 µs for
// this client; with undici the runner could not come within 0.9 of autocannon (README, "Performance").
//
// Timeouts are for the whole exchange, as k6's `timeout`: the answer must be complete within
// `timeoutMs` of the send, so a body that trickles forever is a timeout too. Interim answers (1xx)
// are skipped, as every HTTP client does. A connection is given up whenever it could pair an answer
// with the wrong request: bytes behind an answer, bytes while idle, a server that closed its side.
// (HTTP/1.1 cannot tell a second answer that arrives alone, later, from the next request's answer;
// no client can, undici included.)
import { isUtf8 } from 'node:buffer';
import net from 'node:net';
import tls from 'node:tls';
import { HTTPParser } from 'http-parser-js';
import { describeConnectionFailure } from '../../core/http/connection-failure.ts';
import type { RenderedRequest } from '../../core/render/render-delivery.ts';

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
  /** Sends one request; `done` is called exactly once with what came of it. */
  send(request: RenderedRequest, done: (sent: Sent) => void): void;
  /** Closes every connection; call it once nothing is in flight. */
  close(): Promise<void>;
  /** Bytes on the TCP connections so far (k6's data_sent, data_received): TLS framing and handshakes included. */
  readonly bytes: { readonly sent: number; readonly received: number };
}

export interface ClientOptions {
  /** TLS options for an https origin (tests give their own certificate authority). */
  tls?: Pick<tls.ConnectionOptions, 'ca' | 'rejectUnauthorized'>;
}

const maxBodyBytes = 1024 * 1024;
/** Without a Keep-Alive hint an idle connection is reused for this long, as undici does. */
const defaultKeepAliveMs = 4000;
/** An idle connection is given up this long before the server said it would close it. */
const keepAliveMarginMs = 1000;

/** A request on its way: what to write, whom to tell, and by when. */
interface Pending {
  /** The whole request as it goes on the wire. */
  text: string;
  deadline: number;
  done: (sent: Sent) => void;
}

export function createClient(
  origin: string,
  connections: number,
  timeoutMs: number,
  options: ClientOptions = {},
): LoadClient {
  const target = new URL(origin);
  const secure = target.protocol === 'https:';
  const endpoint: Endpoint = {
    host: target.hostname.replace(/^\[|\]$/g, ''),
    port: Number(target.port) || (secure ? 443 : 80),
    secure,
    tls: options.tls ?? {},
  };
  const pool = new Pool(endpoint, connections, timeoutMs);
  // The Host header names this client's origin, whatever host the request's URL names: a fleet's
  // clients are each given requests rendered for the configuration's url.
  const headOf = headWriter(target.host);
  return {
    send(request, done) {
      const lines = headOf(request);
      if (typeof lines !== 'string') {
        done({ ok: false, kind: 'connection', message: lines.problem });
        return;
      }
      const body = request.body;
      const deadline = performance.now() + timeoutMs;
      if (body === undefined) pool.start({ text: `${lines}\r\n`, deadline, done });
      else pool.start({ text: `${lines}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, deadline, done });
    },
    bytes: pool.bytes,
    close: () => pool.close(),
  };
}

/**
 * The request line and headers of each request, kept for the many requests that share their URL,
 * method and headers object, when that object is frozen (`forCodes` gives all its requests one such
 * object): a frozen object cannot have changed since.
 */
function headWriter(host: string): (request: RenderedRequest) => string | { problem: string } {
  let last: { url: string; method: string; headers: Record<string, string>; lines: string } | undefined;
  return (request) => {
    if (last?.headers === request.headers && last.url === request.url && last.method === request.method) {
      return last.lines;
    }
    const lines = requestHead(request, host);
    if (typeof lines === 'string') {
      last = Object.isFrozen(request.headers)
        ? { url: request.url, method: request.method, headers: request.headers, lines }
        : undefined;
    }
    return lines;
  };
}

/** The connections to one origin: at most `connections`, idle ones reused, requests queued while all are busy. */
class Pool {
  readonly bytes = new WireCount();
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly queue: Pending[] = [];
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly connections: number,
    private readonly timeoutMs: number,
  ) {
    // One sweep for every deadline instead of a timer per request.
    const sweepMs = Math.max(5, Math.min(100, Math.floor(timeoutMs / 10)));
    this.sweep = setInterval(() => this.expire(performance.now()), sweepMs);
    this.sweep.unref();
  }

  start(pending: Pending): void {
    // The most recently used idle connection first: a slow open-model run keeps few connections warm.
    const connection = this.idle.pop();
    if (connection) connection.start(pending);
    else if (this.all.size < this.connections) {
      const fresh = new Connection(this.endpoint, this.timeoutMs, this.release, this.bytes);
      this.all.add(fresh);
      fresh.start(pending);
    } else this.queue.push(pending);
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    for (const waiting of this.queue.splice(0)) {
      waiting.done({ ok: false, kind: 'connection', message: 'the run ended before it was sent' });
    }
    await Promise.all([...this.all].map((connection) => connection.close()));
  }

  private readonly release = (connection: Connection): void => {
    const waiting = this.queue.shift();
    if (waiting) connection.start(waiting);
    else this.idle.push(connection);
  };

  private expire(now: number): void {
    for (const connection of this.all) connection.expire(now);
    while (this.queue.length > 0 && this.queue[0]!.deadline <= now) {
      this.queue.shift()!.done({ ok: false, kind: 'timeout', message: `no answer within ${this.timeoutMs} ms` });
    }
  }
}

const tokenName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const unsafeValue = /[\r\n\0]/;
/** Headers the client writes itself, from the request: never taken from the configuration. */
const ownHeaders = new Set(['content-length', 'transfer-encoding', 'connection']);

/**
 * The request line and the headers, each line ended, without the length or the blank line that ends
 * the head; or the problem that keeps them from being sent.
 */
function requestHead(request: RenderedRequest, host: string): string | { problem: string } {
  const url = new URL(request.url);
  let head = `${request.method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
  if (!Object.hasOwn(request.headers, 'host')) head += `host: ${host}\r\n`;
  for (const name in request.headers) {
    const value = request.headers[name]!;
    if (!tokenName.test(name) || unsafeValue.test(value)) {
      return { problem: `the header "${name}" has characters HTTP does not allow, so the request was not sent` };
    }
    if (!ownHeaders.has(name)) head += `${name}: ${value}\r\n`;
  }
  return head;
}

interface Endpoint {
  host: string;
  port: number;
  secure: boolean;
  tls: ClientOptions['tls'] & object;
}

/**
 * Bytes on the client's TCP connections, as k6 counts data_sent and data_received: TLS records and
 * handshakes included, and nothing for a connection that never opened (Node counts what is queued
 * on a socket as written, even if it never connects).
 */
class WireCount {
  private closedSent = 0;
  private closedReceived = 0;
  private readonly connected = new Set<net.Socket>();
  private readonly open = new Set<net.Socket>();

  track(tcp: net.Socket): void {
    this.open.add(tcp);
    tcp.once('connect', () => this.connected.add(tcp));
    tcp.once('close', () => {
      if (this.connected.delete(tcp)) this.closedSent += tcp.bytesWritten;
      this.closedReceived += tcp.bytesRead;
      this.open.delete(tcp);
    });
  }

  get sent(): number {
    let sent = this.closedSent;
    for (const tcp of this.connected) sent += tcp.bytesWritten;
    return sent;
  }

  get received(): number {
    let received = this.closedReceived;
    for (const tcp of this.open) received += tcp.bytesRead;
    return received;
  }
}

/** Where http-parser-js is in the chunk it reads: kept on the parser, though its types leave it out. */
interface ParserPosition {
  offset: number;
  end: number;
}

/**
 * One keep-alive connection, opened on first use and again whenever the last one cannot be trusted
 * to carry the next answer. Each socket has its own parser, so bytes left on a socket already given
 * up can never be read as the answer on its successor.
 */
class Connection {
  private socket: net.Socket | undefined;
  private pending: Pending | undefined;
  /** Why the socket failed, for the request on it. */
  private failure: { code?: string; message?: string } | undefined;
  private reusableUntil = 0;
  private status = 0;
  private contentType = '';
  private keepAlive = true;
  /** The message being read is an interim (1xx) answer: the final one follows it. */
  private interim = false;
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly timeoutMs: number,
    private readonly release: (connection: Connection) => void,
    private readonly wire: WireCount,
  ) {}

  start(pending: Pending): void {
    this.pending = pending;
    this.status = 0;
    this.contentType = '';
    this.keepAlive = true;
    this.interim = false;
    this.chunks = [];
    this.size = 0;
    const socket = this.socket;
    if (socket && (performance.now() > this.reusableUntil || socket.readableEnded || socket.destroyed)) this.drop();
    if (!this.socket) this.open();
    // One write: the head and the body leave in the same segment when they fit.
    this.socket!.write(pending.text);
  }

  /** Ends the request on this connection if its time is up. */
  expire(now: number): void {
    if (this.pending && this.pending.deadline <= now) {
      this.fail({ ok: false, kind: 'timeout', message: `no answer within ${this.timeoutMs} ms` });
    }
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  private open(): void {
    const { host, port, secure } = this.endpoint;
    // TLS runs over a TCP socket of our own, so the bytes counted are those on the wire.
    const tcp = net.connect({ host, port });
    tcp.setNoDelay(true);
    this.wire.track(tcp);
    const socket = secure
      ? tls.connect({
          socket: tcp,
          ALPNProtocols: ['http/1.1'],
          // SNI carries host names only.
          ...(net.isIP(host) ? {} : { servername: host }),
          ...this.endpoint.tls,
        })
      : tcp;
    this.socket = socket;
    this.failure = undefined;
    this.reusableUntil = Number.POSITIVE_INFINITY;
    // Whatever this socket or its parser says after the connection gave it up is ignored.
    const current = (): boolean => socket === this.socket;
    const parser = new HTTPParser(HTTPParser.RESPONSE);
    // Returning 1 tells the parser the answer has no body, whatever its headers say.
    parser[HTTPParser.kOnHeadersComplete] = (info) =>
      current() && this.onHeaders(info.statusCode, info.headers, info.shouldKeepAlive) ? 1 : undefined;
    parser[HTTPParser.kOnBody] = (chunk) => {
      if (current()) this.onBody(chunk);
    };
    parser[HTTPParser.kOnMessageComplete] = () => {
      if (current()) this.onComplete(parser as unknown as ParserPosition);
    };
    socket.on('data', (data: Buffer) => {
      if (!current()) return;
      if (!this.pending) {
        // Bytes nobody asked for: the connection can no longer tell which answer is whose.
        this.drop();
        return;
      }
      const parsed = parser.execute(data);
      if (parsed instanceof Error && current()) {
        this.fail({ ok: false, kind: 'connection', message: `the answer is not valid HTTP/1.1 (${parsed.message})` });
      }
    });
    socket.on('end', () => {
      if (!current()) return;
      // An answer without a length ends with the connection; an idle connection the server closed
      // is given up at once rather than written to.
      if (this.pending) parser.finish();
      else this.drop();
    });
    socket.on('error', (error: Error & { code?: string }) => {
      if (current())
        this.failure ??= { message: error.message, ...(error.code !== undefined ? { code: error.code } : {}) };
    });
    socket.on('close', () => {
      if (!current()) return;
      this.socket = undefined;
      if (this.pending) this.finish(describeFailure(this.failure, this.timeoutMs));
    });
  }

  /** Forgets the socket (closing it); whatever it still says is ignored. */
  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  /** Takes an answer's status and headers; true when it has no body (1xx, 204, 304: RFC 9112 §6.3). */
  private onHeaders(status: number, headers: string[], keepAlive: boolean): boolean {
    // 100 Continue, 102 Processing, 103 Early Hints: not the answer, which follows on the same connection.
    if (status >= 100 && status < 200 && status !== 101) {
      this.interim = true;
      return true;
    }
    this.status = status;
    // After 101 the connection speaks another protocol: its answer is the last one it carries.
    this.keepAlive = keepAlive && status !== 101;
    const types: string[] = [];
    let keepAliveHint: string | undefined;
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i]!;
      if (name.length === 12 && name.toLowerCase() === 'content-type') types.push(headers[i + 1]!);
      else if (name.length === 10 && name.toLowerCase() === 'keep-alive') keepAliveHint = headers[i + 1];
    }
    this.contentType = types.join(', ');
    const seconds = keepAliveHint ? Number(/timeout=(\d+)/i.exec(keepAliveHint)?.[1]) : Number.NaN;
    const reuseMs = Number.isFinite(seconds) ? seconds * 1000 - keepAliveMarginMs : defaultKeepAliveMs;
    this.reusableUntil = performance.now() + reuseMs;
    return status < 200 || status === 204 || status === 304;
  }

  private onBody(chunk: Buffer): void {
    if (this.interim) return;
    // An endless answer is judged on its first megabyte rather than filling memory.
    if (this.size < maxBodyBytes) this.chunks.push(chunk);
    this.size += chunk.length;
  }

  private onComplete(position: ParserPosition): void {
    if (this.interim) {
      this.interim = false;
      return;
    }
    if (!this.pending) return;
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const truncated = this.size > maxBodyBytes;
    // Bytes behind the answer in the same read belong to no request sent (a second answer, or the
    // start of one): after them, no answer on this connection could be trusted to be the next
    // request's, so the next request gets a new connection.
    const trailing = position.end > position.offset;
    if (!this.keepAlive || trailing) this.drop();
    this.finish({
      ok: true,
      answer: {
        status: this.status,
        contentType: this.contentType,
        body: bytes.toString(),
        bodyBytes: this.size,
        truncated,
        // A cut may split a character: only a complete body is judged for its encoding.
        invalidUtf8: !truncated && !isUtf8(bytes),
      },
    });
  }

  /** Ends the request with a failure and closes the socket: the next request opens a new one. */
  private fail(sent: Sent): void {
    this.drop();
    this.finish(sent);
  }

  /** Tells the request's sender, once, and frees the connection for the next request. */
  private finish(sent: Sent): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.chunks = [];
    this.release(this);
    pending.done(sent);
  }
}

function describeFailure(failure: { code?: string; message?: string } | undefined, timeoutMs: number): Sent {
  if (failure?.code === 'ETIMEDOUT') return { ok: false, kind: 'timeout', message: `no answer within ${timeoutMs} ms` };
  // A socket that closed without an error was closed by the target.
  const message = failure
    ? describeConnectionFailure(failure.code, failure.message)
    : describeConnectionFailure('ECONNRESET', undefined);
  return { ok: false, kind: 'connection', message };
}
