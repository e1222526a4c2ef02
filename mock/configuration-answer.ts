// What GET /configurations/coupon answers. Gameball hands the stored configuration (the merchant's
// own credentials included: the Authorization header, a key in the query, a password in the URL)
// to the account's key holders. A stand-in started without both account keys accepts any key, so
// there it answers the configuration with every header value, query value and URL user-info
// replaced by the redaction mark: the shape is all a caller needs to see, and the values stay in
// the stand-in, which still sends them to the merchant.
import type { CouponConfiguration } from '../core/config/coupon-configuration.ts';
import { redactedMark } from '../core/redact/redact-credentials.ts';
import type { MockSettings } from './context.ts';

export function configurationAnswer(config: CouponConfiguration, settings: MockSettings): CouponConfiguration {
  if (settings.apiKey !== undefined && settings.secretKey !== undefined) return config;
  const redacted = ({ key }: { key: string }) => ({ key, value: redactedMark });
  return {
    ...config,
    url: withoutUserInfo(config.url),
    ...(config.headers ? { headers: config.headers.map(redacted) } : {}),
    ...(config.queryParams ? { queryParams: config.queryParams.map(redacted) } : {}),
  };
}

function withoutUserInfo(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username === '' && parsed.password === '') return url;
  // Written by hand: URL would percent-encode the mark's angle brackets.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, `$1${redactedMark}@`);
}
