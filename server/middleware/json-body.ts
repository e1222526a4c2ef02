// Reads the JSON body of the routes that take one into ctx.request.body, through koa-body, with a
// size limit. Checked in the order a client fixes them: the media type (415), the declared or read
// size (413), the bytes (400: JSON is UTF-8, and invalid UTF-8 is refused rather than replaced, so
// two different byte sequences can never count as the same coupon), the syntax (400), then what
// JSON.parse accepts but a delivery cannot hold (422: numbers that overflow to Infinity, nesting
// deeper than 32 levels). The raw text is kept (`ctx.request.rawBody`) for the signature check.

import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { HttpMethodEnum, koaBody } from 'koa-body';
import { escapeSegment } from '../../openapi/json-pointer.ts';
import type { AppContext, AppMiddleware } from '../context.ts';
import {
  compressedBody,
  HttpProblem,
  incompleteBody,
  invalidJson,
  payloadTooLarge,
  unsupportedMediaType,
  validationFailed,
} from '../problem.ts';

/** What koa-body and the HTTP layer count as JSON; anything else is 415. */
const jsonTypes = ['application/json', 'application/*+json'];

/**
 * `reading` holds the requests whose body is being read, so that shutdown can end the clients that
 * are still sending theirs when the drain is over.
 */
export function jsonBody(limit: number, reading: Set<IncomingMessage> = new Set()): AppMiddleware {
  const parse = koaBody({
    json: true,
    urlencoded: false,
    text: false,
    multipart: false,
    jsonTypes,
    jsonLimit: limit,
    // Not strict: a JSON string or null is valid JSON and gets a 422 from the schema, and an empty
    // body stays empty (strict mode would turn it into {}) so that it can be a 400.
    jsonStrict: false,
    includeUnparsed: true,
    parsedMethods: [HttpMethodEnum.POST],
    patchKoa: true,
    patchNode: false,
    onError: (error) => {
      throw problemOf(error, limit);
    },
  });
  const done = async (): Promise<void> => {};

  return async (ctx, next) => {
    checkMediaType(ctx);
    // The bytes as they arrive, for the UTF-8 check: koa-body decodes with replacement characters.
    // The listener goes on before koa-body's own, in the same turn, so both see every chunk.
    const { chunks, stop } = collect(ctx.req);
    reading.add(ctx.req);
    try {
      await parse(ctx, done);
    } catch (error) {
      if (error instanceof HttpProblem && error.status === 413) discardRest(ctx.req, stop);
      throw error;
    } finally {
      reading.delete(ctx.req);
    }
    const raw = (ctx.request as { rawBody?: string }).rawBody ?? '';
    // The decoder turns every invalid sequence into U+FFFD, so without one the bytes were valid;
    // with one, the bytes decide (a U+FFFD may also have been sent as such).
    if (raw.includes('\uFFFD') && !isUtf8(Buffer.concat(chunks)))
      throw invalidJson('it is not valid UTF-8 (JSON text must be UTF-8).');
    if (raw.length === 0) throw invalidJson('the body is empty.');
    const body: unknown = ctx.request.body;
    const problem = unrepresentable(body);
    if (problem) {
      const where = problem.field === '' ? 'the body itself' : problem.field;
      throw validationFailed(`The coupon delivery cannot be kept as sent: ${where} ${problem.message}.`, [problem]);
    }
    ctx.state.body = body;
    ctx.state.bodyBytes = byteCount(chunks);
    return next();
  };
}

/** 415 unless the content type is JSON in UTF-8 and the body is not compressed. */
function checkMediaType(ctx: AppContext): void {
  const headers = ctx.req.headers;
  const type = headers['content-type'];
  // What Gameball sends, decided without parsing (ctx.is below parses the header each time).
  if (type === 'application/json' && headers['content-encoding'] === undefined) {
    if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined)
      throw invalidJson('the body is empty.');
    return;
  }
  if (!type) throw unsupportedMediaType(undefined);
  // null: the request has no body at all (no Content-Length, no Transfer-Encoding).
  const matched = ctx.is(jsonTypes);
  if (matched === false) throw unsupportedMediaType(type);
  const charset = ctx.request.charset;
  if (charset && charset !== 'utf-8' && charset !== 'utf8') throw unsupportedMediaType(type);
  const encoding = headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') throw compressedBody(encoding);
  if (matched === null) throw invalidJson('the body is empty.');
}

function byteCount(chunks: readonly Buffer[]): number {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  return total;
}

function collect(request: IncomingMessage): { chunks: Buffer[]; stop: () => void } {
  const chunks: Buffer[] = [];
  const keep = (chunk: Buffer): void => void chunks.push(chunk);
  request.on('data', keep);
  return { chunks, stop: () => request.off('data', keep) };
}

/** After a 413, how much more of the body is read and dropped before the connection is closed. */
export const discardLimitBytes = 8 * 1024 * 1024;

/**
 * After a 413 the client is usually still sending. Closing the connection then makes the kernel
 * reset it over the unread bytes, and the reset can reach the client before it has read the answer
 * (verify then saw "closed without an answer" now and then). So the rest of the body is read and
 * dropped, never kept, and the connection stays open; a client that goes on past the bound is cut off.
 */
function discardRest(request: IncomingMessage, stopKeeping: () => void): void {
  stopKeeping();
  let dropped = 0;
  request.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > discardLimitBytes) request.socket.destroy();
  });
  request.resume();
}

/** koa-body's (raw-body's, co-body's) errors as the contract's. */
function problemOf(error: Error, limit: number): unknown {
  const { status, type } = error as { status?: number; type?: string };
  if (status === 413) return payloadTooLarge(limit);
  if (status === 415) return unsupportedMediaType(undefined);
  if (type === 'request.aborted' || type === 'request.size.invalid') return incompleteBody();
  if (error instanceof SyntaxError || status === 400) return invalidJson(`${error.message.replace(/\.$/, '')}.`);
  return error;
}

/**
 * The delivery is open to unknown properties, but not to any depth: storing and comparing a value
 * walks it recursively, and a few kilobytes of `[[[[...]]]]` would exhaust the stack (a 5xx).
 */
export const maxDepth = 32;

interface Frame {
  node: object;
  depth: number;
  parent?: Frame;
  key?: string;
}

const overflow = 'must be a finite number (it is too large to represent)';

/**
 * The first value JSON.parse accepted that the server cannot keep as received: a number that
 * overflowed to ±Infinity (`1e400`: stored as null, it would no longer equal the bytes that were
 * sent, so a retry would get a 409) or nesting deeper than `maxDepth`. Undefined when there is none.
 * No recursion, and a frame only per object or array: a megabyte of numbers is one cheap pass.
 */
export function unrepresentable(value: unknown): { field: string; message: string } | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { field: '', message: overflow };
  if (value === null || typeof value !== 'object') return undefined;
  const stack: Frame[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth >= maxDepth) return { field: pointerOf(frame), message: `nests deeper than ${maxDepth} levels` };
    const node = frame.node as Record<string, unknown>;
    const keys = Array.isArray(node) ? undefined : Object.keys(node);
    const length = keys ? keys.length : (node as unknown as unknown[]).length;
    for (let i = length - 1; i >= 0; i--) {
      const key = keys ? keys[i]! : i;
      const child = node[key];
      if (typeof child === 'number') {
        if (!Number.isFinite(child))
          return { field: pointerOf({ node, depth: 0, parent: frame, key: String(key) }), message: overflow };
      } else if (child !== null && typeof child === 'object') {
        stack.push({ node: child, depth: frame.depth + 1, parent: frame, key: String(key) });
      }
    }
  }
  return undefined;
}

/** The JSON pointer of a frame, as the error details write them (no leading slash; '' is the body). */
function pointerOf(frame: Frame): string {
  const keys: string[] = [];
  for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent) keys.push(escapeSegment(at.key));
  return keys.reverse().join('/');
}
