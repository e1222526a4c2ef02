// Which of the configured headers and query parameters are credentials. Names and scheme words
// tell (`Authorization: Bearer …`, `X-Shop-Key`, `api_key=…`), so that `store=eg` is not taken for
// a key; when nothing looks like a credential, every configured entry counts (we cannot tell).
import type { CouponConfiguration } from './coupon-configuration.ts';

interface ConfiguredCredential {
  kind: 'header' | 'query';
  /** Header names lower-cased, as the renderer sends them; query keys as configured. */
  key: string;
  value: string;
}

const credentialName = /auth|token|key|secret|signature|sig$|password|passwd|session|bearer|api/i;
const credentialValue = /^(bearer|basic|token|digest|hmac)\s/i;

export function configuredCredentials(config: CouponConfiguration): ConfiguredCredential[] {
  const configured: ConfiguredCredential[] = [
    ...(config.headers ?? []).map(({ key, value }) => ({ kind: 'header' as const, key: key.toLowerCase(), value })),
    ...(config.queryParams ?? []).map(({ key, value }) => ({ kind: 'query' as const, key, value })),
  ];
  const looksLikeOne = configured.filter((c) => credentialName.test(c.key) || credentialValue.test(c.value));
  return looksLikeOne.length > 0 ? looksLikeOne : configured;
}
