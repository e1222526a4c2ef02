// Builds one request exactly as Gameball would send it from a coupon configuration: the URL with
// its query parameters, the method, the configured headers, and the filled payload template.
import { createHash } from 'node:crypto';
import type { components } from '../../openapi/generated/gameball.ts';
import type { CouponConfiguration, CouponKind } from '../config/coupon-configuration.ts';
import { defaultPayloadTemplate, mappedCouponType } from '../config/default-configuration.ts';
import { compileTemplate, type PlaceholderValue } from './fill-template.ts';

/** The delivery fields as the contract defines them; the harness fills the default template's placeholders from these. */
type DeliveryFields = components['schemas']['CouponDelivery'];

/**
 * The values Gameball fills into the template for one coupon: the contract's delivery fields, with
 * Gameball's own coupon type (`couponKind`, mapped through couponMapping into the type name) in
 * place of the merchant's name for it. `code` is the delivery's code: sent when the template carries
 * {{code}}, otherwise only the kit's name for the delivery (the merchant makes the real code).
 */
export type CouponValues = Pick<
  DeliveryFields,
  | 'playerUniqueId'
  | 'value'
  | 'expiresAfter'
  | 'usageLimit'
  | 'oncePerCustomer'
  | 'minOrderValue'
  | 'entitledProductIds'
  | 'entitledCollectionIds'
  | 'source'
> & {
  code: string;
  couponKind: CouponKind;
  /** Extra placeholders (`--set name=value` for custom templates). */
  extra?: Record<string, PlaceholderValue>;
};

export interface RenderedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** For bodies too large to print: a shell command that writes the same body to stdout. */
  bodyShell?: string;
}

interface RenderOptions {
  /** Sign the body as Gameball's webhooks do (X-GB-Signature); off unless given. */
  signingSecret?: string;
}

export const userAgent = 'gb-coupon (Gameball simulator; +https://github.com/gameball-coupon-kit)';

/**
 * The template's values for a coupon (see placeholders.ts): Gameball's documented names, `{{amount}}`
 * being `{{value}}` and `{{discount_type}}` the mapped type, and the kit's own, `{{couponType}}`
 * being the mapped type too. Without a code, `{{code}}` is left for later (`forCodes`).
 */
export function placeholderValues(
  config: CouponConfiguration,
  coupon: Omit<CouponValues, 'code'> & { code?: string },
): Record<string, PlaceholderValue> {
  const { couponKind, extra, ...fields } = coupon;
  const type = mappedCouponType(config, couponKind);
  return { ...fields, amount: fields.value, discount_type: type, couponType: type, ...extra };
}

export function renderDelivery(
  config: CouponConfiguration,
  coupon: CouponValues,
  options: RenderOptions = {},
): RenderedRequest {
  return compileDelivery(config, options).render(coupon);
}

/** A configuration read once, for rendering many deliveries (the load runner's thousands a second). */
interface DeliveryRenderer {
  render(coupon: CouponValues): RenderedRequest;
  /**
   * A renderer of one coupon's deliveries that differ only in their code: the other values are
   * filled into the template once. Each call is still a whole render, equal to `render`'s, except
   * that unsigned POST and PUT requests share one frozen headers object (copy it to change it).
   */
  forCodes(coupon: Omit<CouponValues, 'code'>): (code: string) => RenderedRequest;
}

export function compileDelivery(config: CouponConfiguration, options: RenderOptions = {}): DeliveryRenderer {
  const template = compileTemplate(config.payload ?? defaultPayloadTemplate);
  const url = new URL(config.url);
  for (const { key, value } of config.queryParams ?? []) url.searchParams.append(key, value);
  const urlText = url.toString();

  const baseHeaders: Record<string, string> = { 'user-agent': userAgent };
  if (config.method !== 'GET') baseHeaders['content-type'] = 'application/json';
  for (const { key, value } of config.headers ?? []) baseHeaders[key.toLowerCase()] = value;

  const sharedHeaders = Object.freeze({ ...baseHeaders });
  const request = (text: string, share = false): RenderedRequest => {
    if (share && config.method !== 'GET' && !options.signingSecret) {
      return { method: config.method, url: urlText, headers: sharedHeaders, body: text };
    }
    const headers = { ...baseHeaders };
    if (config.method === 'GET') {
      // A GET has no body: the filled payload's top-level fields travel as query parameters (inference).
      const withFields = new URL(urlText);
      for (const [key, value] of Object.entries(parseObject(text))) {
        withFields.searchParams.append(key, typeof value === 'string' ? value : JSON.stringify(value));
      }
      return { method: config.method, url: withFields.toString(), headers };
    }
    if (options.signingSecret) {
      headers['x-gb-signature'] = signBody(text, options.signingSecret);
      headers['x-gb-webhook-version'] = 'v4';
    }
    return { method: config.method, url: urlText, headers, body: text };
  };
  return {
    render: (coupon) => request(template.fill(placeholderValues(config, coupon)).text),
    forCodes(coupon) {
      // The code is the one given per call, even if the values carry one (they are typed not to).
      const { code: _ignored, ...fixed } = placeholderValues(config, coupon);
      const bound = template.bind(fixed);
      return (code) => request(bound.fill({ code }).text, true);
    },
  };
}

/** Gameball's webhook signature: sha1 hex of the JSON body, a colon and the secret key. */
export function signBody(body: string, secret: string): string {
  let canonical = body;
  try {
    canonical = JSON.stringify(JSON.parse(body));
  } catch {
    // A deliberately malformed body is signed as it is.
  }
  return createHash('sha1').update(`${canonical}:${secret}`).digest('hex');
}

function parseObject(text: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(text);
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}
