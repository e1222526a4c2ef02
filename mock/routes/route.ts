// A route of the stand-in: a method and a path template of one of its two documents (Gameball's,
// or the control plane's), and the handler that answers it.
import type { IncomingHttpHeaders } from 'node:http';
import type { MockContext } from '../context.ts';

interface MockRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Path parameters by name, decoded. */
  params: Record<string, string>;
  /** The JSON body, already validated against the operation's request schema. */
  body: unknown;
  /** The id the answer carries (X-Request-Id, and `requestId` in Gameball's bodies). */
  requestId?: string;
  /** The example asked for with `Prefer: example=NAME` (only on operations answered from examples). */
  example?: string;
}

interface Answer {
  status?: number;
  /** undefined: an empty body (Gameball's PUT /configurations/coupon). */
  body?: unknown;
}

type Handler = (request: MockRequest, context: MockContext) => Answer | Promise<Answer>;

export interface Route {
  method: string;
  /** As written in the document, e.g. /api/v4.0/integrations/coupons/{code}/validate. */
  template: string;
  handler: Handler;
  /** Answered from the document's examples, with no state behind it: `Prefer: example=NAME` may pick one. */
  fromExamples?: boolean;
}

interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Matches paths against templates; templates without parameters are looked up directly. */
export function createMatcher(routes: readonly Route[]): (method: string, path: string) => RouteMatch | undefined {
  const exact = new Map<string, Route>();
  const patterns: { route: Route; pattern: RegExp; names: string[] }[] = [];
  for (const route of routes) {
    if (!route.template.includes('{')) {
      exact.set(`${route.method} ${route.template}`, route);
      continue;
    }
    const names: string[] = [];
    const source = route.template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (!name) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        names.push(name);
        return '([^/]+)';
      })
      .join('');
    patterns.push({ route, pattern: new RegExp(`^${source}$`), names });
  }
  return (method, path) => {
    const found = exact.get(`${method} ${path}`);
    if (found) return { route: found, params: {} };
    // Literal segments win over parameters (/coupons/validate is not /coupons/{lockReference}).
    for (const { route, pattern, names } of patterns) {
      if (route.method !== method) continue;
      const match = pattern.exec(path);
      if (!match) continue;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(match[i + 1]!);
      });
      return { route, params };
    }
    return undefined;
  };
}
