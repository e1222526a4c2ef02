// Reading a request body and writing a JSON answer on node:http, without a framework: the
// stand-in's hot paths are a handful of operations, and a plain handler keeps it fast.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidPayload } from './errors.ts';

const bodyLimit = 1024 * 1024;

export class BodyTooLarge extends Error {
  override name = 'BodyTooLarge';
}

/**
 * The body as text. Bytes that are not UTF-8 are refused (3016) rather than read as U+FFFD: what
 * the stand-in stores and forwards to the merchant is what the client sent, or nothing.
 */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > bodyLimit) {
        reject(new BodyTooLarge(`The body is over ${bodyLimit} bytes.`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => {
      const bytes = Buffer.concat(chunks);
      if (isUtf8(bytes)) resolve(bytes.toString('utf8'));
      else reject(invalidPayload('the body is not UTF-8 text; send JSON encoded in UTF-8.'));
    });
    request.once('error', reject);
  });
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    response.writeHead(status, { ...headers, 'content-length': '0' }).end();
    return;
  }
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    })
    .end(text);
}
