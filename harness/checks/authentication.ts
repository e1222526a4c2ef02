// Whoever knows the URL must not be able to create coupons: the endpoint must refuse deliveries
// without the credentials the configuration sends, or with wrong ones.
import { configuredCredentials } from '../../core/config/credentials.ts';
import type { Exchange } from '../../core/http/send-request.ts';
import type { RenderedRequest } from '../../core/render/render-delivery.ts';
import {
  type Check,
  type CheckContext,
  type CheckVerdict,
  type Delivery,
  describeAnswer,
  fail,
  pass,
  skip,
  statusOf,
  warn,
} from './check.ts';

interface Credential {
  kind: 'header' | 'query';
  key: string;
}

const refused = (status: number | undefined): boolean => status === 401 || status === 403;

/**
 * Not refused with 401 or 403: a 200 (or no answer) lets a coupon be minted, a failure; any other
 * refusal keeps the coupon from being created, so answering 401/403 is advice, a warning.
 */
function notRefused(exchange: Exchange, kind: string, what: string): CheckVerdict {
  const status = statusOf(exchange);
  if (status === undefined || status < 300) {
    return fail(kind, `${what} ${describeAnswer(exchange)}; it must be refused with 401 or 403.`, exchange);
  }
  return warn(
    'auth-status-not-401',
    `${what} ${describeAnswer(exchange)}: refused, which is what matters, but 401 or 403 says why.`,
    exchange,
  );
}

/** The credentials to withhold or falsify: the configured ones, and the signature when signing is on. */
function credentials(context: CheckContext, delivery: Delivery): Credential[] {
  const list = configuredCredentials(context.config).map(({ kind, key }) => ({ kind, key }));
  if (delivery.request.headers['x-gb-signature']) list.push({ kind: 'header', key: 'x-gb-signature' });
  return list;
}

function withCredential(request: RenderedRequest, credential: Credential, value: string | null): RenderedRequest {
  if (credential.kind === 'header') {
    const headers = { ...request.headers };
    if (value === null) delete headers[credential.key];
    else headers[credential.key] = value;
    return { ...request, headers };
  }
  const url = new URL(request.url);
  if (value === null) url.searchParams.delete(credential.key);
  else url.searchParams.set(credential.key, value);
  return { ...request, url: url.toString() };
}

/** A value of the same shape that cannot be right: the scheme word kept, the secret replaced. */
function wrongValue(value: string): string {
  const scheme = /^(\w+)\s+\S/.exec(value);
  return scheme ? `${scheme[1]} gb-coupon-wrong-credential` : `gb-coupon-wrong-${value.length}`;
}

/** A delivery and its credentials, or the failure of a configuration that sends none. */
function planDelivery(
  context: CheckContext,
  noCredentials: CheckVerdict,
): { delivery: Delivery; list: Credential[] } | CheckVerdict {
  const delivery = context.deliver(context.scenarios[0]!);
  const list = credentials(context, delivery);
  return list.length === 0 ? noCredentials : { delivery, list };
}

export const authRequired: Check = {
  id: 'auth-required',
  title: 'Without the configured credentials: 401 or 403',
  dependsOn: ['accepted'],
  async run(context) {
    // Not a failure: an endpoint may be protected another way (a secret path, an allow-list).
    const plan = planDelivery(
      context,
      warn(
        'no-credentials',
        'NO CREDENTIALS: the configuration sends no headers or query parameters, so the endpoint cannot tell Gameball from anyone else: anyone who knows the URL can create coupons. ' +
          'Unless the endpoint is protected another way, add a credential, e.g. "headers": [{"key": "Authorization", "value": "Bearer <token>"}], and check it.',
      ),
    );
    if ('status' in plan) return plan;
    const { delivery, list } = plan;
    let request = delivery.request;
    for (const credential of list) request = withCredential(request, credential, null);
    const exchange = await context.send(request);
    if (!refused(statusOf(exchange))) {
      return notRefused(exchange, 'auth-not-required', `A delivery without ${list.map((c) => c.key).join(', ')}`);
    }
    return pass(`Without ${list.map((c) => c.key).join(', ')}: ${statusOf(exchange)}.`);
  },
};

export const wrongCredentials: Check = {
  id: 'wrong-credentials',
  title: 'With a wrong credential value: 401 or 403',
  // An endpoint that needs no credential cannot tell a wrong one: that is auth-required's finding.
  dependsOn: ['auth-required'],
  async run(context) {
    const plan = planDelivery(
      context,
      skip(
        'The configuration sends no credentials, so there is nothing to get wrong; see auth-required.',
        'no-credentials',
      ),
    );
    if ('status' in plan) return plan;
    const { delivery, list } = plan;
    const seen: string[] = [];
    for (const credential of list) {
      const current =
        credential.kind === 'header'
          ? delivery.request.headers[credential.key]!
          : new URL(delivery.request.url).searchParams.get(credential.key)!;
      const exchange = await context.send(
        withCredential(context.deliver(delivery.scenario).request, credential, wrongValue(current)),
      );
      if (!refused(statusOf(exchange))) {
        return notRefused(exchange, 'wrong-credential-accepted', `A delivery with a wrong ${credential.key}`);
      }
      seen.push(`${credential.key} ${statusOf(exchange)}`);
    }
    return pass(`Wrong values refused: ${seen.join(', ')}.`);
  },
};
