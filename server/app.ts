// The app factory: a Koa app and the short chain every request travels, one concept per link.
//   request id + log line -> errors (and 404/405) -> @koa/router: the route's own links,
//   auth (401) -> body (415/413/400/422) -> signature (401, when on) -> the handler (422/409/200)
// Auth runs before a byte of the body is read; the route is matched first so that public routes
// (/healthz) need no token and an unknown path is 404 for everyone.
import Koa from 'koa';
import type { RequestState } from './context.ts';
import type { Logger } from './logger.ts';
import { bearerAuth } from './middleware/auth.ts';
import { errors } from './middleware/errors.ts';
import { jsonBody } from './middleware/json-body.ts';
import { type DrainState, requestLog } from './middleware/request-log.ts';
import { gameballSignature } from './middleware/signature.ts';
import { routerOf } from './router.ts';
import { routes } from './routes/index.ts';
import type { CouponStore } from './store/store.ts';

export interface AppDependencies {
  store: CouponStore;
  logger: Logger;
  token: string;
  signingSecret?: string | undefined;
  bodyLimit: number;
  /** Draws a code for a delivery without one (see coupons/generate-code.ts). */
  newCode: () => string;
  /** Set `draining` to true during shutdown; responses then close their connection. */
  drainState?: DrainState;
}

export function createApp(deps: AppDependencies): Koa<RequestState> {
  const app = new Koa<RequestState>();
  const router = routerOf(routes(deps.store, deps.newCode), {
    auth: bearerAuth(deps.token),
    body: jsonBody(deps.bodyLimit, deps.drainState?.reading),
    signature: deps.signingSecret ? gameballSignature(deps.signingSecret) : undefined,
  });
  app.use(requestLog(deps.logger, deps.drainState));
  app.use(errors());
  app.use(router.routes());
  app.use(router.allowedMethods());
  // Errors are answered by the chain; what reaches Koa's own handler (a socket error while the
  // response is written) is logged, not printed to stderr.
  app.on('error', (error: unknown) => deps.logger.warn({ err: error }, 'response error'));
  return app;
}
