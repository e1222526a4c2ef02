// The requests that show a finding, as the report carries them: the exchange that shows the problem
// and a curl script of the whole sequence, credentials redacted unless asked.
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { curlCommand, curlScript } from '../../core/http/curl-command.ts';
import type { Exchange } from '../../core/http/send-request.ts';
import { redactCredentials } from '../../core/redact/redact-credentials.ts';
import type { RenderedRequest } from '../../core/render/render-delivery.ts';
import type { EvidenceStep } from '../checks/check.ts';
import type { Reproduction } from '../report/types.ts';

/** How much of a body the run keeps and a report shows. */
export const bodyShown = 64 * 1024;

/**
 * The sequence for the report: the exchange that shows the problem (the last step; in a group sent
 * at once, its first) and a script of the whole sequence. With `redactFor`, the configuration's
 * credential values are hidden.
 */
export function reproduce(
  steps: readonly EvidenceStep[],
  title: string,
  redactFor?: CouponConfiguration,
): Reproduction {
  const last = steps[steps.length - 1]!;
  const exchange: Exchange = Array.isArray(last) ? (last as readonly Exchange[])[0]! : (last as Exchange);
  const hide = (request: RenderedRequest): RenderedRequest =>
    redactFor ? redactCredentials(request, redactFor) : request;
  const requests = steps.map((step) =>
    Array.isArray(step) ? (step as readonly Exchange[]).map((e) => hide(e.request)) : hide((step as Exchange).request),
  );
  const request = hide(exchange.request);
  return {
    request: {
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(request.body !== undefined ? { body: shownRequestBody(request.body) } : {}),
    },
    ...(exchange.response ? { response: shownResponse(exchange.response) } : {}),
    ...(exchange.error ? { error: exchange.error } : {}),
    curl: curlCommand(request),
    script: curlScript(requests, `Reproduces ${title}`),
    requests: requests.reduce<number>((n, step) => n + (Array.isArray(step) ? step.length : 1), 0),
  };
}

function shownRequestBody(body: string): string {
  return body.length > bodyShown ? `${body.slice(0, 200)}… (${body.length} bytes in all)` : body;
}

function shownResponse(response: NonNullable<Exchange['response']>): NonNullable<Reproduction['response']> {
  return {
    status: response.status,
    headers: response.headers,
    body: response.body.slice(0, bodyShown),
    bodyBytes: response.bodyBytes,
    ...(response.truncated ? { truncated: true } : {}),
    ...(response.abandoned ? { abandoned: true } : {}),
    ...(response.invalidUtf8 ? { invalidUtf8: true } : {}),
  };
}
