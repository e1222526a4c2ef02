// The stand-in's node:http handler: reads the request target once, routes, answers JSON with a
// request id, turns every refusal into Gameball's error body, and logs one line per request (the
// canonical path, so `//__gb/deliveries` is logged as the /__gb/deliveries it is).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockContext } from './context.ts';
import { GameballError, unexpected } from './errors.ts';
import type { Exposure } from './exposure.ts';
import { BodyTooLarge, sendJson } from './http-io.ts';
import type { PrismEngine } from './prism-engine.ts';
import { createTargetReader } from './request-target.ts';
import { createRouter, pathTemplates } from './router.ts';

export type MockLogLevel = 'info' | 'warn' | 'silent';

interface LogOptions {
  /** One line per request at info; refusals and failures only at warn; nothing at silent. */
  logLevel?: MockLogLevel;
  /** Where log lines go (standard output by default). */
  log?: (line: string) => void;
}

export function createHandler(
  context: MockContext,
  prism: () => Promise<PrismEngine>,
  exposure: Exposure,
  options: LogOptions,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const route = createRouter(context, prism, exposure);
  const readTarget = createTargetReader(pathTemplates());
  const level = options.logLevel ?? 'info';
  const log = options.log ?? ((line: string) => void process.stdout.write(`${line}\n`));

  return async (request, response) => {
    const began = performance.now();
    const requestId = randomBytes(6).toString('hex').toUpperCase();
    const method = request.method ?? 'GET';
    // Until the target is read, the log shows it as it came, escaped.
    let shown = printable(request.url ?? '/');
    let status = 500;
    let failure: string | undefined;
    try {
      const target = readTarget(request.url ?? '/', method);
      shown = target.path;
      const answer = await route(request, method, target, requestId);
      // No answer before the writes it rests on are durable (a 200 must survive kill -9).
      await context.store.committed();
      status = answer.status;
      sendJson(response, status, answer.body, { 'x-request-id': requestId, ...answer.headers });
    } catch (thrown) {
      // A refusal can rest on writes of this turn too (the points another request just spent).
      const error = await context.store.committed().then(
        () => thrown,
        (failed: unknown) => failed,
      );
      const refusal = asRefusal(error);
      status = refusal.status;
      if (!(error instanceof GameballError || error instanceof BodyTooLarge)) failure = (error as Error).stack;
      if (!response.headersSent) sendJson(response, status, refusal.body(requestId), { 'x-request-id': requestId });
    } finally {
      const shouldLog = level === 'info' || (level === 'warn' && status >= 400);
      if (shouldLog) {
        const ms = (performance.now() - began).toFixed(1);
        log(`${new Date().toISOString()} ${method} ${shown} ${status} ${ms} ms ${requestId}`);
      }
      if (failure && level !== 'silent') log(failure);
    }
  };
}

function asRefusal(error: unknown): GameballError {
  if (error instanceof GameballError) return error;
  if (error instanceof BodyTooLarge)
    return new GameballError(413, 3016, 'Payload Error', `Invalid payload: ${error.message}`);
  return unexpected(`The stand-in failed: ${(error as Error).message}`);
}

/** At most 200 characters, anything outside printable ASCII written as \uXXXX: a log line stays one line. */
function printable(text: string): string {
  const cut = text.length > 200 ? `${text.slice(0, 200)}...` : text;
  return cut.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
