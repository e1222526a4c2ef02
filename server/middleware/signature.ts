// Optional check of Gameball's webhook signature scheme on the routes that take a body:
// X-GB-Signature = sha1_hex(JSON.stringify(body) + ":" + secret). Gameball computes it over its
// object; the body it sends is that JSON text, so the raw text as received is checked first, and the
// parsed body serialised again second (in case a proxy re-formatted the JSON on the way). Off unless
// a signing secret is configured; a missing or wrong signature is 401.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppMiddleware } from '../context.ts';
import { signatureRejected } from '../problem.ts';

export function gameballSignature(secret: string): AppMiddleware {
  return (ctx, next) => {
    const presented = ctx.get('X-GB-Signature');
    if (presented.length === 0) throw signatureRejected('Missing X-GB-Signature header.');
    const received = Buffer.from(presented.trim().toLowerCase(), 'latin1');
    const raw = (ctx.request as { rawBody?: string }).rawBody ?? '';
    if (!matches(received, signText(raw, secret)) && !matches(received, signBody(ctx.state.body, secret)))
      throw signatureRejected('X-GB-Signature does not match the body.');
    return next();
  };
}

function matches(received: Buffer, expectedHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'latin1');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Gameball's signature of a body: sha1 hex of its JSON text, a colon and the secret. */
export function signBody(body: unknown, secret: string): string {
  return signText(JSON.stringify(body), secret);
}

function signText(text: string, secret: string): string {
  return createHash('sha1').update(`${text}:${secret}`).digest('hex');
}
