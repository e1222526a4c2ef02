// A request as reports show it: reports travel (CI uploads them, people paste them into tickets), so
// what the configuration sends is hidden unless the user asks for it. Every configured header value
// (but those describing the body, see secret-values.ts) and query parameter is replaced where it
// stands, whatever its length, and so is the URL's user-info; the scheme word stays
// (`Bearer <redacted>`) so the shape is still visible; so is a payload template's credential member
// (payload-credentials.ts) in the body. Then every secret of the configuration is
// replaced by value (redactor.ts) anywhere else in the request.
import type { CouponConfiguration } from '../config/coupon-configuration.ts';
import type { RenderedRequest } from '../render/render-delivery.ts';
import { credentialMembers } from './payload-credentials.ts';
import { type Redactor, redactedMark } from './redactor.ts';
import { authScheme, describesBody, redactorFor } from './secret-values.ts';

export { redactedMark };

function redactValue(value: string): string {
  const scheme = authScheme(value);
  return scheme ? `${scheme} ${redactedMark}` : redactedMark;
}

/** The request with the configuration's credentials hidden; `redactor` adds the run's other secrets. */
export function redactCredentials(
  request: RenderedRequest,
  config: CouponConfiguration,
  redactor: Redactor = redactorFor({ config }),
): RenderedRequest {
  const headerValues = new Map<string, string>();
  for (const { key, value } of config.headers ?? []) {
    if (!describesBody(key)) headerValues.set(key.toLowerCase(), value);
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    headers[key] = headerValues.get(key.toLowerCase()) === value ? redactValue(value) : value;
  }
  const body = request.body === undefined ? undefined : hideMembers(request.body, config.payload);
  return redactor.deep({
    ...request,
    headers,
    url: redactUrl(request.url, config),
    ...(body !== undefined && { body }),
  });
}

/** The configuration itself as `config check` prints it: the same values hidden, in place and by value. */
export function redactConfiguration(
  config: CouponConfiguration,
  redactor: Redactor = redactorFor({ config }),
): CouponConfiguration {
  const hidden: CouponConfiguration = {
    ...config,
    url: redactUrl(config.url, config),
    ...(config.headers && {
      headers: config.headers.map((h) => (describesBody(h.key) ? h : { ...h, value: redactValue(h.value) })),
    }),
    ...(config.queryParams && { queryParams: config.queryParams.map((q) => ({ ...q, value: redactedMark })) }),
    ...(config.payload !== undefined && { payload: hideMembers(config.payload, config.payload) }),
  };
  return redactor.deep(hidden);
}

/** The template's credential members hidden where they stand in `text` (a rendered body, or the template). */
function hideMembers(text: string, template: string | undefined): string {
  let hidden = text;
  for (const { text: member, opening, literal } of credentialMembers(template ?? '')) {
    const shown = `${opening}${redactValue(literal)}"`;
    hidden = hidden.replaceAll(member, () => shown);
  }
  return hidden;
}

/** The configured query values (queryParams and the URL's own) and the user-info replaced where they stand. */
function redactUrl(text: string, config: CouponConfiguration): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  const pair = (key: string, value: string): string => `${key}\u0000${value}`;
  const configured = new Set((config.queryParams ?? []).map(({ key, value }) => pair(key, value)));
  for (const [key, value] of queryOf(config.url)) configured.add(pair(key, value));
  // A GET delivery sends the payload's members as query parameters, the credential ones among them.
  for (const { name, literal } of credentialMembers(config.payload ?? '')) configured.add(pair(name, literal));
  const params = [...url.searchParams].map(([key, value]): [string, string] => [
    key,
    configured.has(pair(key, value)) ? redactedMark : value,
  ]);
  const hideQuery = params.some(([, value]) => value === redactedMark);
  const hideUser = url.username !== '' || url.password !== '';
  if (!hideQuery && !hideUser) return text;
  if (hideQuery) url.search = new URLSearchParams(params).toString();
  if (hideUser) {
    url.username = redactedMark;
    url.password = '';
  }
  return url.toString().replaceAll(encodeURIComponent(redactedMark), redactedMark);
}

function queryOf(text: string): [string, string][] {
  try {
    return [...new URL(text).searchParams];
  } catch {
    return [];
  }
}
