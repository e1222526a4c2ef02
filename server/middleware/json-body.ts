// Reads the JSON body of the routes that take one, with a size limit, into ctx.state.body. Checked
// in the order a client fixes them: the media type (415), the declared or actual size (413), then the
// syntax (400). The body is read from the socket directly (no koa-body): see server/README.md, "Why
// not koa-body", for the measurement behind that choice.
import type { IncomingMessage } from 'node:http';
import type { AppMiddleware } from '../context.ts';
import { HttpProblem, invalidJson, payloadTooLarge, unsupportedMediaType } from '../problem.ts';

export function jsonBody(limit: number): AppMiddleware {
  return async (ctx, next) => {
    if (!ctx.state.route.body) return next();
    const headers = ctx.req.headers;
    const type = headers['content-type'];
    if (!isJsonMediaType(type)) throw unsupportedMediaType(type);
    const encoding = headers['content-encoding'];
    if (encoding && encoding.toLowerCase() !== 'identity') {
      throw new HttpProblem(
        415,
        'unsupported_media_type',
        `Send the body uncompressed (received Content-Encoding ${encoding}).`,
      );
    }
    const declared = headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
    const text = await readText(ctx.req, limit);
    if (text.length === 0) throw invalidJson('the body is empty.');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw invalidJson(`${(error as Error).message}.`);
    }
    const tooDeep = deeperThan(body, maxDepth);
    if (tooDeep !== undefined) {
      throw new HttpProblem(422, 'validation_failed', `The body nests deeper than ${maxDepth} levels.`, [
        { field: tooDeep, message: `nests deeper than ${maxDepth} levels` },
      ]);
    }
    ctx.state.body = body;
    return next();
  };
}

/**
 * The delivery is open to unknown properties, but not to any depth: storing and comparing a value
 * walks it recursively, and a few kilobytes of `[[[[...]]]]` would exhaust the stack (a 5xx).
 */
const maxDepth = 32;

interface Frame {
  node: object;
  depth: number;
  parent?: Frame;
  key?: string;
}

/**
 * The JSON pointer of the first object or array nested deeper than `limit`, else undefined. No
 * recursion, and only containers are visited: a megabyte of numbers costs a single pass over them.
 */
export function deeperThan(value: unknown, limit: number): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const stack: Frame[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth >= limit) return pointerOf(frame);
    const { node } = frame;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (child !== null && typeof child === 'object')
          stack.push({ node: child, depth: frame.depth + 1, parent: frame, key: String(i) });
      }
    } else {
      for (const key in node) {
        const child: unknown = (node as Record<string, unknown>)[key];
        if (child !== null && typeof child === 'object')
          stack.push({ node: child, depth: frame.depth + 1, parent: frame, key });
      }
    }
  }
  return undefined;
}

/** Built only for the one value that is reported. */
function pointerOf(frame: Frame): string {
  const keys: string[] = [];
  for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent)
    keys.push(at.key.replace(/~/g, '~0').replace(/\//g, '~1'));
  return keys.reverse().join('/');
}

/** `application/json` or any `application/*+json`, in UTF-8 (the only charset JSON allows). */
export function isJsonMediaType(header: string | undefined): boolean {
  if (!header) return false;
  if (header === 'application/json') return true;
  const [essence, ...parameters] = header.split(';');
  const type = essence!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[\w.-]+\+json$/.test(type)) return false;
  for (const parameter of parameters) {
    const [name, value] = parameter.split('=');
    if (name?.trim().toLowerCase() !== 'charset') continue;
    const charset = value?.trim().replace(/^"|"$/g, '').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') return false;
  }
  return true;
}

/**
 * A body over the limit is answered at once and the connection closed after the answer, so the
 * server neither buffers nor keeps draining what the client goes on sending.
 */
function tooLarge(limit: number): HttpProblem {
  const problem = payloadTooLarge(limit);
  return new HttpProblem(problem.status, problem.code, problem.message, undefined, { Connection: 'close' });
}

/**
 * The body as UTF-8 text, rejecting with 413 as soon as it passes `limit` bytes. The listeners stay
 * on the request (it is garbage once answered); `settled` makes every event after the first outcome
 * a no-op.
 */
function readText(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      settled = true;
      request.pause();
      reject(tooLarge(limit));
    });
    request.on('end', () => {
      if (settled) return;
      settled = true;
      resolve((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString('utf8'));
    });
    request.on('close', () => {
      if (settled) return;
      settled = true;
      reject(new HttpProblem(400, 'invalid_json', 'The request ended before its body was complete.'));
    });
  });
}
