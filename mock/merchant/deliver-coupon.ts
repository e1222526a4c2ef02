// Gameball's call to the merchant's coupon endpoint, as the stand-in makes it: rendered from the
// stored configuration by the harness's renderer (the one renderer), sent once with a timeout, and
// accepted only when the answer is exactly 200 and carries the code, as Gameball needs.
import { randomUUID } from 'node:crypto';
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { usesDefaultTemplate } from '../../core/config/default-configuration.ts';
import type { Exchange } from '../../core/http/send-request.ts';
import { findCode } from '../../core/judge/find-code.ts';
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
  const verdict = judge(exchange, values.code, usesDefaultTemplate(config));
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
    ...verdict,
  };
  context.recordDelivery(record);
  return record;
}

function judge(exchange: Exchange, code: string, defaultTemplate: boolean): { accepted: boolean; verdict: string } {
  const response = exchange.response;
  if (!response) {
    return { accepted: false, verdict: `The merchant's coupon endpoint did not answer: ${exchange.error}.` };
  }
  if (response.status !== 200) {
    return {
      accepted: false,
      verdict: `The merchant's coupon endpoint answered ${response.status}; Gameball needs exactly 200 with the code.`,
    };
  }
  const judgement = findCode(response, code, { usesDefaultTemplate: defaultTemplate });
  if (!judgement.carries) {
    return {
      accepted: false,
      verdict: `The merchant's coupon endpoint answered 200 but ${judgement.reason}; Gameball needs the code back.`,
    };
  }
  return { accepted: true, verdict: `The merchant answered 200 with the code ${code}.` };
}
