// `--lookup 'GET https://shop.example/coupons/{code}'`: how the harness reads back what the endpoint
// stored, sent with the configuration's headers (the same credentials as the deliveries), and read
// as `load --reconcile` reads it (core/lookup/stored-coupons.ts): the records carrying the code.

import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { UsageError } from '../../core/errors.ts';
import { sendRequest } from '../../core/http/send-request.ts';
import { lookupRequest, readStoredCoupons } from '../../core/lookup/stored-coupons.ts';
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
  const exchange = await sendRequest(lookupRequest(lookup, code, config), { timeoutMs });
  const response = exchange.response;
  if (!response) return { problem: `got no answer (${exchange.error})`, exchange };
  const reading = readStoredCoupons({ status: response.status, json: response.json }, code);
  if ('problem' in reading) return { problem: reading.problem, exchange };
  return { count: reading.stored.length, records: reading.stored, exchange };
}
