// Gameball's call to the merchant's coupon endpoint, as the stand-in makes it: rendered from the
// stored configuration by the one renderer, sent once with a timeout, and accepted only when the one
// judge (core/judge/judge.ts) says Gameball would take the answer: the verdict verify gives. When the
// template has no {{code}}, the coupon's code is the merchant's, and one that another coupon of the
// stand-in already holds is a `duplicate-code`: two customers would hold one coupon.
import { randomUUID } from 'node:crypto';
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { type CodeRegister, judgeDistinct } from '../../core/judge/distinct-codes.ts';
import { type AcceptanceVerdict, codeLocationOf, judge } from '../../core/judge/judge.ts';
import { redactCredentials } from '../../core/redact/redact-credentials.ts';
import { type CodeMode, codeModeOf, expectedCodeOf } from '../../core/render/code-mode.ts';
import { type CouponValues, renderDelivery } from '../../core/render/render-delivery.ts';
import type { MockContext } from '../context.ts';
import type { DeliveryReason, DeliveryRecord } from '../delivery-record.ts';
import type { CouponRecord } from '../lifecycle/records.ts';
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
  const codeMode = codeModeOf(config);
  const verdict = verdictOn(
    context,
    codeMode,
    judge(exchange, { expectedCode: expectedCodeOf(codeMode, values.code) }, codeLocationOf(config)),
  );
  const code = codeMode === 'gameball' ? values.code : verdict.code;
  const record: DeliveryRecord = {
    id: randomUUID(),
    reason,
    at,
    customerId: values.playerUniqueId,
    ...(code !== undefined ? { code } : {}),
    codeMode,
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

/**
 * The merchant-code mode: a code another coupon of the stand-in holds is refused. The check and the
 * caller's store run in the same turn of the event loop after the answer, so no other redemption
 * can take the code in between.
 */
function verdictOn(context: MockContext, mode: CodeMode, verdict: AcceptanceVerdict): AcceptanceVerdict {
  if (mode === 'gameball') return verdict;
  const held: CodeRegister<string> = {
    claim: (code) => {
      const coupon = context.store.get<CouponRecord>('coupon', code);
      return coupon && `the coupon of customer ${coupon.customerId}, created ${coupon.createdAt}`;
    },
  };
  return judgeDistinct(verdict, held, 'this delivery', (holder) => holder);
}
