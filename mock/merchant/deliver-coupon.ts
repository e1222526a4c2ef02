// Gameball's call to the merchant's coupon endpoint, as the stand-in makes it: rendered from the
// stored configuration by the one renderer, sent once with a timeout, and accepted only when the one
// judge (core/judge/judge.ts) says Gameball would take the answer: the verdict verify gives. When the
// template has no {{code}}, the coupon's code is the merchant's, and one that another coupon already
// holds (the caller says which, `heldBy`) is a `duplicate-code`: two customers would hold one coupon.
import { randomUUID } from 'node:crypto';
import { sentExchangeRecord } from '../../core/cassette/exchange-record.ts';
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { type CodeRegister, judgeDistinct } from '../../core/judge/distinct-codes.ts';
import { type AcceptanceVerdict, codeLocationOf, judge } from '../../core/judge/judge.ts';
import { redactCredentials } from '../../core/redact/redact-credentials.ts';
import { redactorFor } from '../../core/redact/secret-values.ts';
import { codeModeOf, expectedCodeOf } from '../../core/render/code-mode.ts';
import { type CouponValues, type RenderedRequest, renderDelivery } from '../../core/render/render-delivery.ts';
import type { MockContext } from '../context.ts';
import { boundedBody, type DeliveryReason, type DeliveryRecord } from '../delivery-record.ts';
import { sendDelivery } from './send-delivery.ts';

export async function deliverCoupon(
  context: MockContext,
  config: CouponConfiguration,
  values: CouponValues,
  reason: DeliveryReason,
  /** For a merchant's code: what already holds it, in words (`the coupon of customer …`), or undefined. */
  heldBy: (code: string) => string | undefined = () => undefined,
): Promise<DeliveryRecord> {
  const { signingSecret, merchantTimeoutMs, deliveryLogBodyBytes } = context.settings;
  const request = renderDelivery(config, values, signingSecret ? { signingSecret } : {});
  const at = context.now().toISOString();
  // The code is recorded as issued (and its points held) durably before the merchant may see it.
  await context.store.committed();
  const exchange = await sendDelivery(request, merchantTimeoutMs);
  const codeMode = codeModeOf(config);
  const judged = judge(exchange, { expectedCode: expectedCodeOf(codeMode, values.code) }, codeLocationOf(config));
  const verdict = codeMode === 'merchant' ? distinct(judged, heldBy) : judged;
  const code = codeMode === 'gameball' ? values.code : verdict.code;
  // Whoever reads GET /__gb/deliveries sees no secret: not in the request, nor where the merchant's
  // answer or an error message quotes one.
  const redactor = redactorFor({ config, signingSecret });
  const record: DeliveryRecord = redactor.deep({
    id: randomUUID(),
    reason,
    at,
    customerId: values.playerUniqueId,
    ...(code !== undefined ? { code } : {}),
    codeMode,
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
  // `mock --cassette`: the same exchange in the recorder's format, so that the two cassettes compare.
  context.settings.cassette
    ?.append(sentExchangeRecord(at, record.request, exchange, verdict, values.code))
    .catch(() => undefined);
  return record;
}

/** The request as the log keeps it: the body bounded as the answers are. */
function boundedRequest(request: RenderedRequest, maxBytes: number): DeliveryRecord['request'] {
  return request.body === undefined ? request : { ...request, ...boundedBody(request.body, maxBytes) };
}

/**
 * The merchant-code mode: a code something already holds is refused. The caller stores the coupon
 * in the same turn of the event loop as this check, so no other redemption can take the code between.
 */
function distinct(verdict: AcceptanceVerdict, heldBy: (code: string) => string | undefined): AcceptanceVerdict {
  const held: CodeRegister<string> = { claim: (code) => heldBy(code) };
  return judgeDistinct(verdict, held, 'this delivery', (holder) => holder);
}
