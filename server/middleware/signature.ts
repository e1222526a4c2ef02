// Optional check of Gameball's webhook signature scheme on the routes that take a body:
// X-GB-Signature = sha1_hex(JSON.stringify(body) + ":" + secret), over the parsed body as Gameball
// signs it. Off unless a signing secret is configured; a missing or wrong signature is 401.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppMiddleware } from '../context.ts';
import { unauthorized } from '../problem.ts';

export function gameballSignature(secret: string): AppMiddleware {
  return (ctx, next) => {
    if (!ctx.state.route.body) return next();
    const presented = ctx.req.headers['x-gb-signature'];
    if (typeof presented !== 'string' || presented.length === 0) {
      throw unauthorized('Missing X-GB-Signature header.');
    }
    const expected = Buffer.from(signBody(ctx.state.body, secret), 'latin1');
    const received = Buffer.from(presented.trim().toLowerCase(), 'latin1');
    if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
      throw unauthorized('X-GB-Signature does not match the body.');
    }
    return next();
  };
}

/** Gameball's signature of a body: sha1 hex of its JSON text, a colon and the secret. */
export function signBody(body: unknown, secret: string): string {
  return createHash('sha1')
    .update(`${JSON.stringify(body)}:${secret}`)
    .digest('hex');
}
