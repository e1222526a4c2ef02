// Gameball's call to the merchant's coupon endpoint, as the stand-in makes it: rendered from the
// stored configuration by the one renderer, sent once with a timeout, and accepted only when the one
// judge (core/judge/judge.ts) says Gameball would take the answer: the verdict verify gives.
import { randomUUID } from 'node:crypto';
import { sentExchangeRecord } from '../../core/cassette/exchange-record.ts';
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { codeLocationOf, judge } from '../../core/judge/judge.ts';
import { redactCredentials } from '../../core/redact/redact-credentials.ts';
import { type CouponValues, renderDelivery } from '../../core/render/render-delivery.ts';
import type { MockContext } from '../context.ts';
import type { DeliveryReason, DeliveryRecord } from '../delivery-record.ts';
import { sendDelivery } from './send-delivery.ts';

export async function deliverCoupon(
  context: MockContext,
  config: CouponConfiguration,
  values: CouponValues,
  reason: DeliveryReason,
): Promise<DeliveryRecord> {
  const { signingSecret, merchantTimeoutMs } = context.settings;
  const request = renderDelivery(config, values, signingSecret ? { signingSecret } : {});
  const at = context.now().toISOString();
  const exchange = await sendDelivery(request, merchantTimeoutMs);
  const verdict = judge(exchange, { expectedCode: values.code }, codeLocationOf(config));
  const record: DeliveryRecord = {
    id: randomUUID(),
    reason,
    at,
    customerId: values.playerUniqueId,
    code: values.code,
    request: redactCredentials(request, config),
    ...(exchange.response
      ? {
          response: {
            status: exchange.response.status,
            headers: exchange.response.headers,
            body: exchange.response.body,
          },
        }
      : {}),
    ...(exchange.error ? { error: exchange.error } : {}),
    latencyMs: Math.round(exchange.durationMs * 10) / 10,
    accepted: verdict.accepted,
    kind: verdict.kind,
    verdict: verdict.detail,
  };
  context.recordDelivery(record);
  // `mock --cassette`: the same exchange in the recorder's format, so that the two cassettes compare.
  context.settings.cassette
    ?.append(sentExchangeRecord(at, record.request, exchange, verdict, values.code))
    .catch(() => undefined);
  return record;
}
