// Gameball's call to the merchant's coupon endpoint, as the stand-in makes it: rendered from the
// stored configuration by the one renderer, sent once with a timeout, and accepted only when the one
// judge (core/judge/judge.ts) says Gameball would take the answer: the verdict verify gives.
import { randomUUID } from 'node:crypto';
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { codeLocationOf, judge } from '../../core/judge/judge.ts';
import { redactCredentials } from '../../core/redact/redact-credentials.ts';
import { redactorFor } from '../../core/redact/secret-values.ts';
import { type CouponValues, type RenderedRequest, renderDelivery } from '../../core/render/render-delivery.ts';
import type { MockContext } from '../context.ts';
import { boundedBody, type DeliveryReason, type DeliveryRecord } from '../delivery-record.ts';
import { sendDelivery } from './send-delivery.ts';

export async function deliverCoupon(
  context: MockContext,
  config: CouponConfiguration,
  values: CouponValues,
  reason: DeliveryReason,
): Promise<DeliveryRecord> {
  const { signingSecret, merchantTimeoutMs, deliveryLogBodyBytes } = context.settings;
  const request = renderDelivery(config, values, signingSecret ? { signingSecret } : {});
  const at = context.now().toISOString();
  const exchange = await sendDelivery(request, merchantTimeoutMs);
  const verdict = judge(exchange, { expectedCode: values.code }, codeLocationOf(config));
  // Whoever reads GET /__gb/deliveries sees no secret: not in the request, nor where the merchant's
  // answer or an error message quotes one.
  const redactor = redactorFor({ config, signingSecret });
  const record: DeliveryRecord = redactor.deep({
    id: randomUUID(),
    reason,
    at,
    customerId: values.playerUniqueId,
    code: values.code,
    request: boundedRequest(redactCredentials(request, config, redactor), deliveryLogBodyBytes),
    ...(exchange.response
      ? {
          response: {
            status: exchange.response.status,
            headers: exchange.response.headers,
            ...boundedBody(exchange.response.body, deliveryLogBodyBytes, exchange.response.bodyBytes),
          },
        }
      : {}),
    ...(exchange.error ? { error: exchange.error } : {}),
    latencyMs: Math.round(exchange.durationMs * 10) / 10,
    accepted: verdict.accepted,
    kind: verdict.kind,
    verdict: verdict.detail,
  });
  context.recordDelivery(record);
  return record;
}

/** The request as the log keeps it: the body bounded as the answers are. */
function boundedRequest(request: RenderedRequest, maxBytes: number): DeliveryRecord['request'] {
  return request.body === undefined ? request : { ...request, ...boundedBody(request.body, maxBytes) };
}
