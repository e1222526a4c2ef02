// Gameball's call to the merchant's coupon endpoint, as the stand-in makes it: rendered from the
// stored configuration by the one renderer, sent once with a timeout, and accepted only when the one
// judge (core/judge/judge.ts) says Gameball would take the answer: the verdict verify gives.
import { randomUUID } from 'node:crypto';
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { type AcceptanceVerdict, codeLocationOf, judge } from '../../core/judge/judge.ts';
import { redactCredentials } from '../../core/redact/redact-credentials.ts';
import { type CouponValues, type RenderedRequest, renderDelivery } from '../../core/render/render-delivery.ts';
import type { MockContext } from '../context.ts';
import { sendDelivery } from './send-delivery.ts';

export type DeliveryReason = 'redemption' | 'campaign' | 'test-connection';

/** One call made to the merchant, as GET /__gb/deliveries shows it (credentials redacted). */
export interface DeliveryRecord {
  id: string;
  reason: DeliveryReason;
  at: string;
  customerId: string;
  code: string;
  request: RenderedRequest;
  response?: { status: number; headers: Record<string, string>; body: string };
  /** Transport failure: timeout, refused, reset. */
  error?: string;
  latencyMs: number;
  /** Whether Gameball would take the coupon as created (core/judge/judge.ts, as verify judges it). */
  accepted: boolean;
  /** `accepted`, or why not, machine-readable: the kinds verify reports. */
  kind: AcceptanceVerdict['kind'];
  /** Why it was or was not accepted, in a sentence. */
  verdict: string;
}

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
  return record;
}
