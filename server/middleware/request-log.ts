// First link: give the request an id (the caller's X-Request-Id when usable), echo it, and write one
// log line when the rest of the chain is done. While the server drains for shutdown, the response
// also says Connection: close, so keep-alive clients do not reuse a socket that is about to close. Errors have been turned into responses by then, so
// the line carries the final status; an unexpected fault is logged with its stack here, and only here.
//
// The info line is flat and small (it is a large share of the per-request cost); at debug level it
// also carries every request header, with Authorization and signatures redacted by the logger.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppMiddleware } from '../context.ts';
import type { Logger } from '../logger.ts';

export interface DrainState {
  draining: boolean;
  /** The requests whose body is being read right now (slow clients, when the drain is over). */
  reading: Set<IncomingMessage>;
}

const usableId = /^[\w.:@-]{1,128}$/;

export function requestLog(logger: Logger, drain: DrainState = { draining: false, reading: new Set() }): AppMiddleware {
  return async (ctx, next) => {
    const started = performance.now();
    const incoming = ctx.req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && usableId.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    await next();
    if (drain.draining) ctx.set('Connection', 'close');
    const status = ctx.status;
    const line: RequestLine = {
      reqId: requestId,
      method: ctx.method,
      url: ctx.url,
      status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      outcome: ctx.state.outcome,
      errorCode: ctx.state.errorCode,
    };
    if (logger.isLevelEnabled('debug'))
      line.req = { remoteAddress: ctx.req.socket.remoteAddress, headers: ctx.req.headers };
    if (status >= 500) logger.error({ ...line, err: ctx.state.fault }, 'request failed');
    else logger.info(line, 'request');
  };
}

interface RequestLine {
  reqId: string;
  method: string;
  url: string;
  status: number;
  ms: number;
  outcome: string | undefined;
  errorCode: string | undefined;
  req?: { remoteAddress: string | undefined; headers: Record<string, unknown> };
}
