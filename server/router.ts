// The route table on @koa/router. Paths are written as the contract writes them (`/coupons/{code}`),
// so a test can hold the table against the merchant document; each route gets only the links it
// needs (auth before a byte of the body is read, then the body, then the signature), so `/healthz`
// needs no token and an unknown path is 404 for everyone.
//
// What the router does not answer the contract's way is finished by `unanswered()`: a path that
// matches no route is 404, a known path with another method is 405 with `Allow` (never 501: an
// unknown method is the client's mistake, and OPTIONS is not an operation of the contract either).
// GET routes answer HEAD too.
import Router from '@koa/router';
import type { AppContext, AppMiddleware, RequestState } from './context.ts';
import { type HttpProblem, methodNotAllowed, notFound } from './problem.ts';

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path template as the contract writes it, e.g. `/coupons/{code}`. */
  path: string;
  /** Whether the route needs the bearer token (the contract's `security: []` means false). */
  auth: boolean;
  /** Whether the route reads a JSON body (then the body middleware and, if on, the signature check run). */
  body: boolean;
  handle(ctx: AppContext): void | Promise<void>;
}

export interface RouteLinks {
  auth: AppMiddleware;
  body: AppMiddleware;
  signature?: AppMiddleware | undefined;
}

/** The methods the router knows; any other (OPTIONS, PROPFIND, ...) comes out as 501 and becomes 405. */
const methods = ['HEAD', 'GET', 'PUT', 'PATCH', 'POST', 'DELETE'];

/** How Allow lists them: GET before its HEAD. */
const methodOrder = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function routerOf(routes: readonly Route[], links: RouteLinks): Router<RequestState> {
  const router = new Router<RequestState>({ methods, strict: true, sensitive: true });
  for (const route of routes) {
    const chain: AppMiddleware[] = [];
    if (route.auth) chain.push(links.auth);
    if (route.body) chain.push(links.body);
    if (route.body && links.signature) chain.push(links.signature);
    chain.push((ctx) => route.handle(ctx));
    router.register(koaPath(route.path), [route.method], oneLayer(chain));
  }
  return router;
}

/**
 * The route's links as one middleware. @koa/router composes a route's layers anew on every request;
 * one layer instead of four saved a measurable share of the per-request cost.
 */
function oneLayer(links: readonly AppMiddleware[]): AppMiddleware {
  return links.reduceRight<AppMiddleware>(
    (rest, link) => (ctx, next) => link(ctx, () => rest(ctx, next)),
    (_ctx, next) => next(),
  );
}

/** `/coupons/{code}` as @koa/router writes it: `/coupons/:code`. */
export function koaPath(template: string): string {
  return template.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * What the router leaves without a body (404, and the 405 or 501 of allowedMethods() with its Allow
 * header) as the contract's error, or undefined when the request was answered. Called by the errors
 * middleware once the chain is done (one async layer less per request than a middleware of its own).
 */
export function unanswered(ctx: AppContext): HttpProblem | undefined {
  if (ctx.body != null) return undefined;
  const status = ctx.status;
  if (status !== 404 && status !== 405 && status !== 501) return undefined;
  const allow = ctx.response.get('Allow');
  if (allow && status !== 404) {
    const allowed = allow.split(/\s*,\s*/).sort((a, b) => methodOrder.indexOf(a) - methodOrder.indexOf(b));
    return methodNotAllowed(ctx.method, ctx.path, allowed);
  }
  ctx.remove('Allow');
  return notFound(`No route for ${ctx.path}.`);
}
