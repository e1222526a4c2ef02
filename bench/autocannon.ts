// autocannon ships no types: the part of its API the benches use, and one loader for it.
import { createRequire } from 'node:module';
import { defaultConfiguration } from '../core/config/default-configuration.ts';
import { compileDelivery } from '../core/render/render-delivery.ts';
import { findScenario } from '../core/scenarios/scenarios.ts';

export interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Called before each send; `context` is the connection's, fresh at each turn through the requests. */
  // biome-ignore lint/suspicious/noExplicitAny: autocannon's context is whatever the requests keep in it
  setupRequest?: (request: { body?: string }, context: any) => { body?: string };
  // biome-ignore lint/suspicious/noExplicitAny: as above
  onResponse?: (status: number, body: string, context: any) => void;
}

export interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  /** Stop after this many requests (duration is then ignored). */
  amount?: number;
  /** Requests per second over all connections (default: as fast as they answer). */
  overallRate?: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

/** autocannon is CommonJS; loaded through require so this file type-checks without its types. */
export const loadAutocannon = (): Autocannon => createRequire(import.meta.url)('autocannon') as Autocannon;

/**
 * `POST /coupons` as Gameball sends it, with a code never sent before in each request: the body from
 * core's renderer (the redeem scenario), the code `PREFIX<run>-<n>`.
 */
export function freshDeliveries(token: string, prefix: string): AutocannonRequest {
  const redeem = findScenario('redeem');
  const render = compileDelivery(defaultConfiguration('http://bench.invalid/coupons', token)).forCodes({
    couponKind: redeem.couponKind,
    ...redeem.values,
  });
  const runId = Date.now().toString(36).toUpperCase();
  let sequence = 0;
  return {
    method: 'POST',
    path: '/coupons',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    setupRequest: (request) => {
      sequence += 1;
      request.body = render(`${prefix}${runId}-${sequence}`).body!;
      return request;
    },
  };
}
