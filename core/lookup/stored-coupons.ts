// The merchant's own lookup (`--lookup 'GET https://shop.example/coupons/{code}'`), as `verify`
// and `load --reconcile` both ask it and read its answer, so that one answer means one thing.
//
// A stored coupon is a JSON object that carries the code looked up (a string value equal to it,
// anywhere in the object), or such an object in a JSON array: `200 []`, `200 {"error":"not
// found"}` and a list of other codes' coupons store nothing under this one. 404 is none stored; any
// other status, or a 200 that is neither an object nor an array, is a lookup that did not work.
import type { CouponConfiguration } from '../config/coupon-configuration.ts';
import { type RenderedRequest, userAgent } from '../render/render-delivery.ts';

export interface LookupTarget {
  method: string;
  /** The URL with `{code}` where the code goes. */
  url: string;
}

export type StoredReading =
  /** The records that carry the code: none, one, or more when the endpoint stored duplicates. */
  { stored: unknown[] } | { problem: string };

/** The lookup of one code, sent with the configuration's headers (the credentials the deliveries carry). */
export function lookupRequest(lookup: LookupTarget, code: string, config: CouponConfiguration): RenderedRequest {
  const headers: Record<string, string> = { 'user-agent': userAgent, accept: 'application/json' };
  for (const { key, value } of config.headers ?? []) headers[key.toLowerCase()] = value;
  return { method: lookup.method, url: lookup.url.replaceAll('{code}', encodeURIComponent(code)), headers };
}

/** What the answer says is stored under `code`; `json` is the parsed body, undefined when it is not JSON. */
export function readStoredCoupons(answer: { status: number; json: unknown }, code: string): StoredReading {
  if (answer.status === 404) return { stored: [] };
  if (answer.status !== 200) return { problem: `answered ${answer.status}` };
  const { json } = answer;
  if (json === null || typeof json !== 'object') {
    return { problem: 'answered 200 with something that is neither a JSON object nor an array' };
  }
  const records: unknown[] = Array.isArray(json) ? json : [json];
  return {
    stored: records.filter((record) => record !== null && typeof record === 'object' && holdsCode(record, code)),
  };
}

/** Whether a string value anywhere in the record equals the code (walked without recursion: any depth). */
function holdsCode(record: object, code: string): boolean {
  const pending: unknown[] = [record];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === code) return true;
    if (value !== null && typeof value === 'object') for (const item of Object.values(value)) pending.push(item);
  }
  return false;
}
