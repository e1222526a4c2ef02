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
// `timeoutMs` of the send, so a body that trickles forever is a timeout too.
import { isUtf8 } from 'node:buffer';
import net from 'node:net';
import tls from 'node:tls';
import { HTTPParser } from 'http-parser-js';
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
  /** Sends one request; `done` is called exactly once with what came of it. */
  send(request: RenderedRequest, done: (sent: Sent) => void): void;
  /** Closes every connection; call it once nothing is in flight. */
  close(): Promise<void>;
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
  head: string;
  body: string;
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
  const endpoint = {
    host: target.hostname.replace(/^\[|\]$/g, ''),
    port: Number(target.port) || (secure ? 443 : 80),
    secure,
    tls: options.tls ?? {},
  };
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  const queue: Pending[] = [];
  const release = (connection: Connection): void => {
    const waiting = queue.shift();
    if (waiting) connection.start(waiting);
    else idle.push(connection);
  };
  // One sweep for every deadline instead of a timer per request.
  const sweepMs = Math.max(5, Math.min(100, Math.floor(timeoutMs / 10)));
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const connection of all) connection.expire(now);
    while (queue.length > 0 && queue[0]!.deadline <= now) {
      queue.shift()!.done({ ok: false, kind: 'timeout', message: `no answer within ${timeoutMs} ms` });
    }
  }, sweepMs);
  sweep.unref();

  // The request target of the last URL, parsed once for the many POSTs to the same URL.
  let lastUrl = '';
  let lastTarget = '';
  let lastHost = '';
  return {
    send(request, done) {
      if (request.url !== lastUrl) {
        const url = new URL(request.url);
        lastUrl = request.url;
        lastTarget = url.pathname + url.search;
        lastHost = url.host;
      }
      const head = requestHead(request, lastTarget, lastHost);
      if (typeof head !== 'string') {
        done({ ok: false, kind: 'connection', message: head.problem });
        return;
      }
      const pending: Pending = { head, body: request.body ?? '', deadline: performance.now() + timeoutMs, done };
      // The most recently used idle connection first: a slow open-model run keeps few connections warm.
      const connection = idle.pop();
      if (connection) connection.start(pending);
      else if (all.size < connections) {
        const fresh = new Connection(endpoint, timeoutMs, release);
        all.add(fresh);
        fresh.start(pending);
      } else queue.push(pending);
    },
    async close() {
      clearInterval(sweep);
      for (const waiting of queue.splice(0)) {
        waiting.done({ ok: false, kind: 'connection', message: 'the run ended before it was sent' });
      }
      await Promise.all([...all].map((connection) => connection.close()));
    },
  };
}

const tokenName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const unsafeValue = /[\r\n\0]/;
/** Headers the client writes itself, from the request: never taken from the configuration. */
const ownHeaders = new Set(['content-length', 'transfer-encoding', 'connection']);

/** The request line and headers, or the problem that keeps them from being sent. */
function requestHead(request: RenderedRequest, path: string, host: string): string | { problem: string } {
  let head = `${request.method} ${path} HTTP/1.1\r\n`;
  if (!Object.hasOwn(request.headers, 'host')) head += `host: ${host}\r\n`;
  for (const name in request.headers) {
    const value = request.headers[name]!;
    if (!tokenName.test(name) || unsafeValue.test(value)) {
      return { problem: `the header "${name}" has characters HTTP does not allow, so the request was not sent` };
    }
    if (!ownHeaders.has(name)) head += `${name}: ${value}\r\n`;
  }
  if (request.body !== undefined) head += `content-length: ${Buffer.byteLength(request.body)}\r\n`;
  return `${head}\r\n`;
}

interface Endpoint {
  host: string;
  port: number;
  secure: boolean;
  tls: ClientOptions['tls'] & object;
}

/** One keep-alive connection, opened on first use and again after the server closes it. */
class Connection {
  private socket: net.Socket | undefined;
  private parser = new HTTPParser(HTTPParser.RESPONSE);
  private pending: Pending | undefined;
  /** Why the socket failed, for the request on it. */
  private failure: { code?: string; message?: string } | undefined;
  private reusableUntil = 0;
  private status = 0;
  private contentType = '';
  private keepAlive = true;
  private chunks: Buffer[] = [];
  private size = 0;
  /** Answers completed in the chunk being read, and whether another began after them. */
  private completedInChunk = 0;
  private unasked = false;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly timeoutMs: number,
    private readonly release: (connection: Connection) => void,
  ) {
    this.parser[HTTPParser.kOnHeadersComplete] = (info) => this.onHeaders(info.statusCode, info.headers, info);
    this.parser[HTTPParser.kOnBody] = (chunk) => this.onBody(chunk);
    this.parser[HTTPParser.kOnMessageComplete] = () => this.onComplete();
  }

  start(pending: Pending): void {
    this.pending = pending;
    this.status = 0;
    this.contentType = '';
    this.keepAlive = true;
    this.chunks = [];
    this.size = 0;
    if (this.socket && performance.now() > this.reusableUntil) this.drop();
    if (!this.socket) this.open();
    // One write: the head and the body leave in the same segment when they fit.
    this.socket!.write(pending.body ? pending.head + pending.body : pending.head);
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
    const socket = secure
      ? tls.connect({
          host,
          port,
          ALPNProtocols: ['http/1.1'],
          // SNI carries host names only.
          ...(net.isIP(host) ? {} : { servername: host }),
          ...this.endpoint.tls,
        })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    this.socket = socket;
    this.failure = undefined;
    this.parser.initialize(HTTPParser.RESPONSE);
    this.reusableUntil = Number.POSITIVE_INFINITY;
    socket.on('data', (data: Buffer) => {
      if (socket !== this.socket) return;
      if (!this.pending) {
        // Bytes nobody asked for: the connection can no longer tell which answer is whose.
        this.drop();
        return;
      }
      this.completedInChunk = 0;
      this.unasked = false;
      const parsed = this.parser.execute(data);
      if (parsed instanceof Error) {
        this.fail({ ok: false, kind: 'connection', message: `the answer is not valid HTTP/1.1 (${parsed.message})` });
      } else if (this.unasked) {
        // A second answer behind the first, in the same read: the request now on this connection was
        // written after these bytes came, so they cannot be its answer.
        this.fail({ ok: false, kind: 'connection', message: 'the target sent an answer to a request it was not sent' });
      }
    });
    socket.on('end', () => {
      // An answer without a length ends with the connection.
      if (socket === this.socket && this.pending) this.parser.finish();
    });
    socket.on('error', (error: Error & { code?: string }) => {
      this.failure ??= { message: error.message, ...(error.code !== undefined ? { code: error.code } : {}) };
    });
    socket.on('close', () => {
      if (socket !== this.socket) return;
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

  private onHeaders(status: number, headers: string[], info: { shouldKeepAlive: boolean }): void {
    if (this.completedInChunk > 0) this.unasked = true;
    if (this.unasked) return;
    this.status = status;
    this.keepAlive = info.shouldKeepAlive;
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
  }

  private onBody(chunk: Buffer): void {
    if (this.unasked) return;
    // An endless answer is judged on its first megabyte rather than filling memory.
    if (this.size < maxBodyBytes) this.chunks.push(chunk);
    this.size += chunk.length;
  }

  private onComplete(): void {
    if (this.unasked || !this.pending) return;
    this.completedInChunk++;
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const truncated = this.size > maxBodyBytes;
    if (!this.keepAlive) this.drop();
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
  const code = failure?.code;
  if (code === 'ETIMEDOUT') return { ok: false, kind: 'timeout', message: `no answer within ${timeoutMs} ms` };
  const words =
    code === 'ECONNREFUSED'
      ? 'connection refused: nothing is listening at that address'
      : code === 'ECONNRESET' || code === 'EPIPE' || failure === undefined
        ? 'the connection was closed without an answer'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'the host name does not resolve'
          : (failure.message ?? 'the connection failed');
  return { ok: false, kind: 'connection', message: words };
}
