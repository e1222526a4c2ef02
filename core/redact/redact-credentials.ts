// Reports travel: CI uploads them as artifacts, people paste them into tickets. The credentials
// the configuration sends (see config/credentials.ts) are replaced in every reproduction unless the
// user asks for them; the scheme word stays ("Bearer <redacted>") so the shape is still visible.
import type { CouponConfiguration } from '../config/coupon-configuration.ts';
import { configuredCredentials } from '../config/credentials.ts';
import type { RenderedRequest } from '../render/render-delivery.ts';

export const redactedMark = '<redacted>';

function redactValue(value: string): string {
  const scheme = /^(\w+)\s+\S/.exec(value);
  return scheme ? `${scheme[1]} ${redactedMark}` : redactedMark;
}

export function redactCredentials(request: RenderedRequest, config: CouponConfiguration): RenderedRequest {
  const secrets = new Map<string, string>();
  for (const { kind, key, value } of configuredCredentials(config))
    secrets.set(`${kind === 'header' ? 'h' : 'q'}:${key}`, value);
  if (secrets.size === 0) return request;

  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    headers[key] = secrets.get(`h:${key}`) === value ? redactValue(value) : value;
  }
  const url = new URL(request.url);
  for (const [key, value] of [...url.searchParams]) {
    if (secrets.get(`q:${key}`) === value) url.searchParams.set(key, redactedMark);
  }
  return {
    ...request,
    headers,
    url: url.search ? url.toString().replace(encodeURIComponent(redactedMark), redactedMark) : request.url,
  };
}
