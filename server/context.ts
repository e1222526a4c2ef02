// What the middleware chain shares about one request, typed once.
import type { RouterContext, RouterMiddleware } from '@koa/router';

export interface RequestState {
  /** From X-Request-Id when the caller sent a usable one, otherwise generated; echoed in the response. */
  requestId: string;
  /** The parsed JSON body (only for routes that take one). */
  body: unknown;
  /** Its size in bytes as received. */
  bodyBytes: number;
  /** For the request log: what a coupon creation did, or which error the request ended with. */
  outcome?: string;
  errorCode?: string;
  /** An unexpected error, logged with its stack but never sent to the client. */
  fault?: unknown;
}

export type AppContext = RouterContext<RequestState>;
export type AppMiddleware = RouterMiddleware<RequestState>;
