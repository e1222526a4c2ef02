// A route table and the middleware that matches a request against it. Paths are written as the
// contract writes them (`/coupons/{code}`), so a test can hold the table against the merchant
// document. A path that matches no route is 404; a known path with another method is 405 with Allow
// (never 501: an unknown method is the client's mistake). GET routes answer HEAD too.
import type { AppContext, AppMiddleware } from './context.ts';
import { methodNotAllowed, notFound } from './problem.ts';

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

interface CompiledPath {
  segments: { literal?: string; param?: string }[];
  routes: Route[];
  allow: string[];
}

type Method = Route['method'] | 'HEAD';

export function router(routes: readonly Route[]): AppMiddleware {
  const paths = compile(routes);
  return (ctx, next) => {
    const segments = ctx.path.split('/');
    for (const path of paths) {
      const params = matchSegments(path.segments, segments);
      if (!params) continue;
      const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
      const route = path.routes.find((r) => r.method === method);
      if (!route) throw methodNotAllowed(ctx.method, ctx.path, path.allow);
      ctx.state.route = route;
      ctx.state.params = params;
      return next();
    }
    throw notFound(`No route for ${ctx.path}.`);
  };
}

/** The last link of the chain: the matched route's handler. */
export function dispatch(): AppMiddleware {
  return (ctx) => ctx.state.route.handle(ctx);
}

function compile(routes: readonly Route[]): CompiledPath[] {
  const byPath = new Map<string, Route[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  return [...byPath].map(([path, list]) => {
    const methods: Method[] = list.map((r) => r.method);
    if (methods.includes('GET')) methods.push('HEAD');
    return {
      segments: path.split('/').map((s) => (/^\{\w+\}$/.test(s) ? { param: s.slice(1, -1) } : { literal: s })),
      routes: list,
      allow: methods,
    };
  });
}

/** The decoded parameters when the request's segments fit the template, otherwise undefined. */
function matchSegments(template: CompiledPath['segments'], segments: string[]): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const part = template[i]!;
    const segment = segments[i]!;
    if (part.literal !== undefined) {
      if (part.literal !== segment) return undefined;
    } else {
      const value = decode(segment);
      if (!value) return undefined;
      params[part.param!] = value;
    }
  }
  return params;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
