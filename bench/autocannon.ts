// autocannon ships no types: the part of its API the benches use, and one loader for it.
import { createRequire } from 'node:module';

export interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?: (request: { body?: string }) => { body?: string };
}

export interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

/** autocannon is CommonJS; loaded through require so this file type-checks without its types. */
export const loadAutocannon = (): Autocannon => createRequire(import.meta.url)('autocannon') as Autocannon;
