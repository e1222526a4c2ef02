// One delivery through the recorder: read it (bounded), forward it or answer it, judge the answer
// with the kit's one judge, and append the exchange to the cassette with credentials redacted.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExchangeRecord, RecordedBody } from '../cassette/cassette-format.ts';
import type { CassetteWriter, NewExchange } from '../cassette/cassette-writer.ts';
import { exchangeRecordOf } from '../cassette/exchange-record.ts';
import { formatBytes } from '../http/body-note.ts';
import { DISCARD_LIMIT_BYTES } from '../http/send-request.ts';
import { type JudgedAnswer, judge } from '../judge/judge.ts';
import type { Redactor } from '../redact/redactor.ts';
import { type DeliveryCode, deliveryCodeOf } from './delivery-code.ts';
import {
  type Answer,
  type ForwardBase,
  type ForwardLimits,
  forwardDelivery,
  forwardPath,
  receivedHeaders,
} from './forward-delivery.ts';
import { ownAnswer, type Respond } from './own-answer.ts';
import { redactAnswerHeaders, redactReceived } from './redact-received.ts';

export interface DeliverySettings {
  forward: ForwardBase | undefined;
  /** The forward URL as the cassette shows it (credentials redacted). */
  shownForward: ForwardBase | undefined;
  respond: Respond;
  redact: readonly string[];
  /** Values hidden wherever they occur besides the received credentials (the forward URL's own). */
  secrets: readonly string[];
  limits: ForwardLimits;
}

export interface DeliveryHooks {
  onDelivery?: (record: ExchangeRecord) => void;
  onWriteError?: (message: string) => void;
}

type Outcome =
  | { answer: Answer; from: 'endpoint' | 'recorder'; error?: undefined }
  | { error: string; answer?: undefined };

export async function handleDelivery(
  request: IncomingMessage,
  response: ServerResponse,
  settings: DeliverySettings,
  writer: CassetteWriter,
  hooks: DeliveryHooks,
): Promise<void> {
  const time = new Date().toISOString();
  const started = performance.now();
  const body = await readBounded(request, settings.limits.maxBodyBytes);
  const headers = receivedHeaders(request.rawHeaders);
  // The delivery goes on first: what the recording needs is worked out once it is answered.
  const outcome = await answerDelivery(request, headers, body, settings, response);
  const latencyMs = performance.now() - started;
  const record = recordOf(request, headers, body, outcome, settings, { time, latencyMs });
  try {
    const seq = await writer.append(record);
    hooks.onDelivery?.({ type: 'exchange', seq, ...record });
  } catch (error) {
    hooks.onWriteError?.(`cannot write the cassette ${writer.path}: ${(error as Error).message}`);
  }
}

/** The exchange as the cassette keeps it: credentials redacted, the judge's verdict on the answer. */
function recordOf(
  request: IncomingMessage,
  headers: Record<string, string>,
  body: Bounded,
  outcome: Outcome,
  settings: DeliverySettings,
  at: { time: string; latencyMs: number },
): NewExchange {
  const sent = sentCode(body);
  const verdict = judge(
    judgedAnswer(outcome),
    { expectedCode: sent.code },
    { usesDefaultTemplate: sent.usesDefaultTemplate },
  );
  const method = request.method ?? 'GET';
  const received = redactReceived(method, `${origin}${request.url ?? '/'}`, headers, settings.redact, settings.secrets);
  const url = received.url.slice(origin.length) || '/';
  const record = exchangeRecordOf({
    time: at.time,
    request: { method, url, headers: received.headers, body: body.bytes, bodyBytes: body.bodyBytes },
    ...(settings.shownForward ? { endpoint: shownEndpoint(settings.shownForward, url) } : {}),
    ...(outcome.answer
      ? {
          response: {
            ...outcome.answer,
            headers: redactAnswerHeaders(outcome.answer.headers, settings.redact),
            from: outcome.from,
          },
        }
      : { error: outcome.error }),
    latencyMs: at.latencyMs,
    verdict,
    sentCode: sent.code,
    redacted: received.redacted,
  });
  return hideSecrets(record, received.redactor);
}

/**
 * The credentials hidden in the headers and URL are hidden by value in the rest of the record too:
 * an answer that echoes one (`token Bearer abc… refused`), the verdict quoting that answer, a body.
 */
function hideSecrets(record: NewExchange, redactor: Redactor): NewExchange {
  const text = (body: RecordedBody): RecordedBody =>
    body.bodyEncoding === 'utf8' ? { ...body, body: redactor.text(body.body) } : body;
  const { request, response, verdict, error } = record;
  return {
    ...record,
    request: { ...request, ...text(request) },
    ...(response ? { response: { ...response, ...text(response), headers: redactor.deep(response.headers) } } : {}),
    ...(error !== undefined ? { error: redactor.text(error) } : {}),
    verdict: redactor.deep(verdict),
  };
}

/** The origin the received path is read against (the recorder's own address is of no interest). */
const origin = 'http://recorder.invalid';

function sentCode(body: Bounded): DeliveryCode {
  const whole = body.bodyBytes === body.bytes.length && isUtf8(body.bytes);
  return deliveryCodeOf(whole ? body.bytes.toString() : undefined);
}

async function answerDelivery(
  request: IncomingMessage,
  headers: Record<string, string>,
  body: Bounded,
  settings: DeliverySettings,
  response: ServerResponse,
): Promise<Outcome> {
  if (body.bodyBytes > body.bytes.length) {
    const message = `gb-coupon record: the delivery's body is larger than ${formatBytes(settings.limits.maxBodyBytes)}; it was not forwarded.`;
    const answer = reply(response, 413, { code: 'payload-too-large', message });
    discardRest(request);
    return { answer, from: 'recorder' };
  }
  if (body.cutOff)
    return { error: 'the delivery was cut off before its body ended (the caller gave up); it was not forwarded' };
  if (settings.forward) {
    const forwarded = await forwardDelivery(request, headers, body.bytes, settings.forward, response, settings.limits);
    return forwarded.answer ? { answer: forwarded.answer, from: 'endpoint' } : { error: forwarded.error };
  }
  const answer = ownAnswer(settings.respond, sentCode(body).code);
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
  response.end(answer.body);
  return { answer, from: 'recorder' };
}

/**
 * After a 413 the caller is usually still sending. Closing the connection then would make the kernel
 * reset it over the unread bytes, and the reset can reach the caller before the answer does. So the
 * rest of the body is read and dropped, never kept, and the connection stays open; a caller that goes
 * on for more than the harness's discard bound is cut off.
 */
function discardRest(request: IncomingMessage): void {
  let dropped = 0;
  request.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_LIMIT_BYTES) request.socket.destroy();
  });
  request.resume();
}

/** Where the delivery went, as the cassette shows it: the redaction mark readable, not percent-encoded. */
function shownEndpoint(forward: ForwardBase, received: string): string {
  return `${forward.origin}${forwardPath(forward, received)}`;
}

function reply(response: ServerResponse, status: number, document: unknown): Answer {
  const body = Buffer.from(JSON.stringify(document));
  const headers = { 'content-type': 'application/json' };
  response.writeHead(status, { ...headers, 'content-length': String(body.length) });
  response.end(body);
  return { status, headers, body, bodyBytes: body.length };
}

function judgedAnswer(outcome: Outcome): JudgedAnswer {
  if (!outcome.answer) return { error: outcome.error };
  const { status, headers, body, bodyBytes } = outcome.answer;
  const truncated = bodyBytes > body.length;
  return { status, headers, body: body.toString('utf8'), bodyBytes, truncated, invalidUtf8: !isUtf8(body) };
}

interface Bounded {
  /** The body's first part, at most the limit. */
  bytes: Buffer;
  /** Bytes read in all: more than the limit when the body is larger (then reading stopped). */
  bodyBytes: number;
  /** The connection closed before the body ended (Gameball gave up): nothing is forwarded. */
  cutOff?: boolean;
}

/** The request's body up to `max` bytes; reading stops at the first byte beyond. */
function readBounded(request: IncomingMessage, max: number): Promise<Bounded> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      request.off('data', onData);
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const cutOff = size <= max && !request.complete;
      resolve({ bytes: bytes.subarray(0, max), bodyBytes: size, ...(cutOff ? { cutOff } : {}) });
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      chunks.push(chunk);
      if (size > max) {
        request.pause();
        done();
      }
    };
    request.on('data', onData);
    request.once('end', done);
    request.once('close', done);
  });
}
