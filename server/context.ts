// What the middleware chain shares about one request, typed once.
import type { Middleware, ParameterizedContext } from 'koa';
import type { Route } from './router.ts';

export interface RequestState {
  /** From X-Request-Id when the caller sent a usable one, otherwise generated; echoed in the response. */
  requestId: string;
  /** The route the path and method matched (set by the router before auth and body run). */
  route: Route;
  /** The path parameters of the matched route, decoded. */
  params: Record<string, string>;
  /** The parsed JSON body (only for routes that take one). */
  body: unknown;
  /** For the request log: what a coupon creation did, or which error the request ended with. */
  outcome?: string;
  errorCode?: string;
  /** An unexpected error, logged with its stack but never sent to the client. */
  fault?: unknown;
}

export type AppContext = ParameterizedContext<RequestState>;
export type AppMiddleware = Middleware<RequestState>;
