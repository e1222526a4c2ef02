// `--lookup 'GET https://shop.example/coupons/{code}'`: how the harness reads back what the endpoint
// stored, sent with the configuration's headers (the same credentials as the deliveries). A 200
// with an object is one coupon, with an array that many; a 404 is none.

import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { UsageError } from '../../core/errors.ts';
import { sendRequest } from '../../core/http/send-request.ts';
import { userAgent } from '../../core/render/render-delivery.ts';
import type { LookupProblem, StoredRecords } from '../checks/check.ts';

export interface Lookup {
  method: string;
  /** The URL with `{code}` where the code goes. */
  url: string;
  /** As given, for the report. */
  text: string;
}

export function parseLookup(text: string): Lookup {
  const match = /^\s*(?:([A-Za-z]+)\s+)?(\S+)\s*$/.exec(text);
  const method = (match?.[1] ?? 'GET').toUpperCase();
  const url = match?.[2] ?? '';
  let valid = url.includes('{code}');
  try {
    const parsed = new URL(url.replace('{code}', 'CODE'));
    valid &&= parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    valid = false;
  }
  if (!valid || !['GET', 'POST'].includes(method)) {
    throw new UsageError(
      `--lookup takes a method and a URL with {code} where the coupon code goes, e.g. --lookup 'GET https://shop.example/coupons/{code}'; got "${text}".`,
    );
  }
  return { method, url, text: `${method} ${url}` };
}

export async function readBack(
  lookup: Lookup,
  code: string,
  config: CouponConfiguration,
  timeoutMs: number,
): Promise<StoredRecords | LookupProblem> {
  const headers: Record<string, string> = { 'user-agent': userAgent, accept: 'application/json' };
  for (const { key, value } of config.headers ?? []) headers[key.toLowerCase()] = value;
  const exchange = await sendRequest(
    { method: lookup.method, url: lookup.url.replaceAll('{code}', encodeURIComponent(code)), headers },
    { timeoutMs },
  );
  const response = exchange.response;
  if (!response) return { problem: `got no answer (${exchange.error})`, exchange };
  if (response.status === 404) return { count: 0, records: [], exchange };
  if (response.status !== 200) return { problem: `answered ${response.status}`, exchange };
  if (Array.isArray(response.json)) return { count: response.json.length, records: response.json, exchange };
  if (response.json !== null && typeof response.json === 'object')
    return { count: 1, records: [response.json], exchange };
  return { problem: 'answered 200 with something that is neither a JSON object nor an array', exchange };
}
