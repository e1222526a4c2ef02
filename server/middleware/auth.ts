// Bearer-token check, on the routes that need it (router.ts), before any byte of the body is read. Both sides
// are hashed to a fixed length and compared with timingSafeEqual, so neither the token's content nor
// its length leaks through timing.
import { hash, timingSafeEqual } from 'node:crypto';
import type { AppMiddleware } from '../context.ts';
import { unauthorized } from '../problem.ts';

const bearer = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export function bearerAuth(token: string): AppMiddleware {
  const expected = sha256(token);
  return (ctx, next) => {
    const header = ctx.req.headers.authorization;
    if (!header) throw unauthorized('Missing bearer token: send Authorization: Bearer <token>.');
    const presented = bearer.exec(header)?.[1];
    if (!presented || !timingSafeEqual(sha256(presented), expected))
      throw unauthorized('Missing or invalid bearer token.');
    return next();
  };
}

/** One-shot hashing (no Hash object per request). */
function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}
