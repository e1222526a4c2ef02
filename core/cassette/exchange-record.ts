// One exchange as a cassette line, from what the recorder saw or what the stand-in sent: the same
// fields whoever writes them, so that a cassette of real Gameball and one of the stand-in compare.
import type { Exchange } from '../http/send-request.ts';
import type { AcceptanceVerdict } from '../judge/judge.ts';
import type { RenderedRequest } from '../render/render-delivery.ts';
import { type RecordedBody, type RecordedVerdict, recordedBody } from './cassette-format.ts';
import type { NewExchange } from './cassette-writer.ts';

export interface ExchangeFacts {
  time: string;
  request: {
    method: string;
    /** An absolute URL or the path and query; the record keeps the path and query. */
    url: string;
    /** Credential values already redacted. */
    headers: Record<string, string>;
    body?: Buffer | string | undefined;
    /** Bytes the body had in all, when only the first part is given. */
    bodyBytes?: number;
  };
  /** Where the delivery went (credentials already redacted); absent when nothing was forwarded. */
  endpoint?: string;
  response?: {
    status: number;
    headers: Record<string, string>;
    body: Buffer | string;
    bodyBytes: number;
    from: 'endpoint' | 'recorder';
  };
  error?: string;
  latencyMs: number;
  verdict: AcceptanceVerdict;
  /** The code the delivery carried, when known. */
  sentCode?: string | undefined;
  redacted?: readonly string[];
}

export function exchangeRecordOf(facts: ExchangeFacts): NewExchange {
  const { request, response, verdict } = facts;
  const recordedVerdict: RecordedVerdict = {
    accepted: verdict.accepted,
    kind: verdict.kind,
    detail: verdict.detail,
    ...(facts.sentCode !== undefined ? { sentCode: facts.sentCode } : {}),
    ...(verdict.code !== undefined ? { code: verdict.code } : {}),
  };
  return {
    time: facts.time,
    request: {
      method: request.method,
      url: pathAndQuery(request.url),
      headers: request.headers,
      ...bodyOf(request.body ?? '', request.bodyBytes),
    },
    ...(facts.endpoint !== undefined ? { endpoint: facts.endpoint } : {}),
    ...(response
      ? {
          response: {
            status: response.status,
            headers: response.headers,
            ...bodyOf(response.body, response.bodyBytes),
            from: response.from,
          },
        }
      : {}),
    ...(facts.error !== undefined ? { error: facts.error } : {}),
    latencyMs: Math.round(facts.latencyMs * 100) / 100,
    verdict: recordedVerdict,
    ...(facts.redacted && facts.redacted.length > 0 ? { redacted: [...facts.redacted] } : {}),
  };
}

/** A delivery the kit sent itself (the stand-in), its request with credentials already redacted. */
export function sentExchangeRecord(
  time: string,
  request: RenderedRequest,
  exchange: Exchange,
  verdict: AcceptanceVerdict,
  sentCode: string | undefined,
): NewExchange {
  const { response } = exchange;
  return exchangeRecordOf({
    time,
    request: { method: request.method, url: request.url, headers: request.headers, body: request.body },
    endpoint: request.url,
    ...(response
      ? {
          response: {
            status: response.status,
            headers: response.headers,
            body: response.body,
            bodyBytes: response.bodyBytes,
            from: 'endpoint',
          },
        }
      : { error: exchange.error ?? 'no answer' }),
    latencyMs: exchange.durationMs,
    verdict,
    sentCode,
  });
}

/** The path and query of an absolute URL, or the path and query given, as written (a redaction mark stays readable). */
function pathAndQuery(url: string): string {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

function bodyOf(body: Buffer | string, bodyBytes?: number): RecordedBody {
  if (typeof body === 'string') {
    const bytes = Buffer.byteLength(body);
    const total = bodyBytes ?? bytes;
    return { body, bodyEncoding: 'utf8', bodyBytes: total, ...(total > bytes ? { truncated: true } : {}) };
  }
  return recordedBody(body, bodyBytes ?? body.length);
}
