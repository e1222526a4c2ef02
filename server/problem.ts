// The one error type a request can end with. Every 4xx/5xx the server sends is an HttpProblem
// rendered by middleware/errors.ts into the contract's MerchantError body, so a new error is one
// new constructor here, never a new shape on the wire.
import type { FieldProblem } from '../openapi/contract.ts';
import type { components } from '../openapi/generated/merchant.ts';

export type MerchantError = components['schemas']['MerchantError'];
export type ErrorCode = MerchantError['code'];

/**
 * An error answer is never much bigger than a few kilobytes, whatever the request: at most
 * `maxDetails` entries (the message then says how many more there were), and every text cut to a
 * fixed length. A body of 500,000 wrong items must not become a 30 MB answer.
 */
export const maxDetails = 20;
const maxMessage = 500;
const maxDetailText = 200;

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  override readonly name = 'HttpProblem';

  /** The JSON body the contract defines for every error, bounded in size. */
  toBody(): MerchantError {
    const details = this.details;
    if (!details) return { code: this.code, message: clip(this.message, maxMessage) };
    const more = details.length - maxDetails;
    const message =
      more > 0 ? `${this.message} The first ${maxDetails} problems are listed, and ${more} more.` : this.message;
    return {
      code: this.code,
      message: clip(message, maxMessage),
      details: details.slice(0, maxDetails).map(boundDetail),
    };
  }
}

function boundDetail(problem: FieldProblem): FieldProblem {
  const bounded: FieldProblem = {
    ...problem,
    field: clip(problem.field, maxDetailText),
    message: clip(problem.message, maxDetailText),
  };
  return bounded;
}

/** The text cut to `max` characters (an ellipsis marks the cut), never splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

export const invalidJson = (reason: string): HttpProblem =>
  new HttpProblem(400, 'invalid_json', `The body is not valid JSON: ${reason}`);

/** The request ended (the client closed it, or sent fewer bytes than it declared) before its body did. */
export const incompleteBody = (): HttpProblem =>
  new HttpProblem(400, 'invalid_json', 'The request ended before its body was complete.');

export const unsupportedMediaType = (received: string | undefined): HttpProblem =>
  new HttpProblem(
    415,
    'unsupported_media_type',
    received
      ? `Send the body as application/json (received ${received}).`
      : 'Send the body as application/json (the request has no Content-Type).',
  );

export const compressedBody = (encoding: string): HttpProblem =>
  new HttpProblem(415, 'unsupported_media_type', `Send the body uncompressed (received Content-Encoding ${encoding}).`);

/** Answered at once; what the client goes on sending is dropped (json-body.ts, discardRest). */
export const payloadTooLarge = (limit: number): HttpProblem =>
  new HttpProblem(413, 'payload_too_large', `The body is over the limit of ${limit} bytes.`);

export const unauthorized = (message: string): HttpProblem =>
  new HttpProblem(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer realm="coupons"' });

/** A missing or wrong X-GB-Signature: 401 without a Bearer challenge (the token was right). */
export const signatureRejected = (message: string): HttpProblem => new HttpProblem(401, 'unauthorized', message);

export const notFound = (message: string): HttpProblem => new HttpProblem(404, 'not_found', message);

export const codeConflict = (code: string, details: FieldProblem[]): HttpProblem =>
  new HttpProblem(
    409,
    'code_conflict',
    `Coupon ${code} already exists with other attributes; nothing was changed.`,
    details,
  );

export const validationFailed = (message: string, details: FieldProblem[]): HttpProblem =>
  new HttpProblem(422, 'validation_failed', message, details);

export const unknownCouponType = (message: string, details: FieldProblem[]): HttpProblem =>
  new HttpProblem(422, 'unknown_coupon_type', message, details);

export const storeUnreachable = (): HttpProblem =>
  new HttpProblem(503, 'internal_error', 'The coupon store is not reachable.');

export const storeCannotWrite = (): HttpProblem =>
  new HttpProblem(503, 'internal_error', 'The coupon store cannot write; coupons sent here now would fail.');

export const noFreeCode = (draws: number): HttpProblem =>
  new HttpProblem(
    500,
    'internal_error',
    `No free coupon code after ${draws} draws: the generated codes are too short for the coupons stored; raise the code length (--code-length).`,
  );

export const methodNotAllowed = (method: string, path: string, allowed: string[]): HttpProblem =>
  new HttpProblem(
    405,
    'method_not_allowed',
    `${method} is not allowed on ${path}; use ${allowed.join(' or ')}.`,
    undefined,
    {
      Allow: allowed.join(', '),
    },
  );

export const internalError = (requestId: string): HttpProblem =>
  new HttpProblem(
    500,
    'internal_error',
    `The server could not handle the request; it is logged under request id ${requestId}.`,
  );
