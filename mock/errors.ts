// Gameball's error body ({code, type, message, documentationUrl, requestId}) and the codes of its
// error catalogue the stand-in answers with. Thrown by the lifecycle, turned into a response by the
// router, so every refusal a partner sees has the shape Gameball's API uses.

const documentationUrl = 'https://developer.gameball.co/api-reference/errors';

interface GameballErrorBody {
  code: number;
  type: string;
  message: string;
  documentationUrl: string | null;
  requestId: string | null;
}

/** A refusal with Gameball's error body; `status` is the HTTP status it travels with. */
export class GameballError extends Error {
  override name = 'GameballError';
  constructor(
    readonly status: number,
    readonly code: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }

  body(requestId: string): GameballErrorBody {
    return { code: this.code, type: this.type, message: this.message, documentationUrl, requestId };
  }
}

// The catalogue entries (Gameball's codes, see /work/shared facts and openapi/gameball.yaml).
export const unauthorized = (message = 'Unauthorized. Check your API key.'): GameballError =>
  new GameballError(401, 1000, 'Authentication', message);
export const secretKeyRequired = (): GameballError =>
  new GameballError(401, 1001, 'Authentication', 'This operation requires the SecretKey header.');
export const missingArguments = (fields: string[]): GameballError =>
  new GameballError(400, 3000, 'Validation', `Missing arguments: ${fields.join(', ')}`);
export const invalidPayload = (detail: string): GameballError =>
  new GameballError(400, 3016, 'Validation', `Invalid payload: ${detail}`);
/** A request target the stand-in will not read (*inference*: Gameball documents no code for a bad path). */
export const invalidRequest = (detail: string): GameballError =>
  new GameballError(400, 3016, 'Validation', `Invalid request: ${detail}`);
/** The control plane refuses a caller without its token, or a web page's request (*inference*: the stand-in's own). */
export const controlRefused = (status: 401 | 403, message: string): GameballError =>
  new GameballError(status, status === 401 ? 1000 : 1002, 'Authentication', message);
export const invalidValue = (message: string): GameballError => new GameballError(422, 3003, 'Validation', message);
export const notFound = (message: string): GameballError => new GameballError(404, 4004, 'NotFound', message);
export const customerNotFound = (customerId: string): GameballError =>
  new GameballError(404, 7000, 'NotFound', `Customer ${customerId} not found.`);
export const transactionExists = (transactionId: string): GameballError =>
  new GameballError(422, 9004, 'Validation', `Transaction ID ${transactionId} already exists.`);
export const insufficientBalance = (needed: number, available: number): GameballError =>
  new GameballError(
    422,
    9008,
    'Validation',
    `Insufficient balance points: this needs ${needed} points and the customer has ${available}.`,
  );

/**
 * The merchant's coupon endpoint did not create the coupon. Gameball documents no code for this
 * (*inference*): the stand-in answers 502 with code 502, and the message says what the merchant did.
 */
export const merchantFailed = (message: string): GameballError =>
  new GameballError(502, 502, 'CustomCouponEngine', message);
