// Gameball's error body ({code, type, message, documentationUrl, requestId}) and the codes of its
// error catalogue the stand-in answers with. Thrown by the lifecycle, turned into a response by the
// router, so every refusal a partner sees has the shape, the code, the HTTP status and the category
// Gameball's catalogue gives it (the facts file, section 5).

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

/** The HTTP status of each catalogue code the stand-in answers with, as Gameball's catalogue gives it. */
const statusOf: Record<number, number> = {
  1000: 401,
  1001: 401,
  3000: 400,
  3001: 422,
  3003: 422,
  3004: 400,
  3016: 400,
  4004: 404,
  5000: 500,
  7000: 404,
  9000: 422,
  9001: 422,
  9002: 404,
  9004: 422,
  9005: 404,
  9006: 404,
  9008: 422,
};

/** The catalogue's class of a code, which Gameball's error body carries as its `type` ("Payload Error"). */
const categories = ['', 'Authentication', 'Request', 'Payload', 'General', 'Server', 'Configuration', 'Customer'];

function catalogueError(code: number, message: string): GameballError {
  const category = code >= 9000 ? 'Transaction' : code >= 8000 ? 'Subscription' : categories[Math.floor(code / 1000)];
  return new GameballError(statusOf[code] ?? 400, code, `${category} Error`, message);
}

export const unauthorized = (message = 'Unauthorized. Check your API key.'): GameballError =>
  catalogueError(1000, message);
export const secretKeyRequired = (): GameballError =>
  catalogueError(1001, 'This operation requires the SecretKey header.');
export const missingArguments = (fields: string[]): GameballError =>
  catalogueError(3000, `Missing arguments: ${fields.join(', ')}`);
export const nullArguments = (fields: string[]): GameballError =>
  catalogueError(3001, `Null arguments: ${fields.join(', ')} cannot be null.`);
export const invalidValue = (message: string): GameballError => catalogueError(3003, message);
export const notAchievable = (message: string): GameballError => catalogueError(3004, message);
export const invalidPayload = (detail: string): GameballError => catalogueError(3016, `Invalid payload: ${detail}`);
export const notFound = (message: string): GameballError => catalogueError(4004, message);
export const unexpected = (message: string): GameballError => catalogueError(5000, message);
/** A request target the stand-in will not read (*inference*: Gameball documents no code for a bad path). */
export const invalidRequest = (detail: string): GameballError => catalogueError(3016, `Invalid request: ${detail}`);
/** The control plane refuses a caller without its token, or a web page's request (*inference*: the stand-in's own). */
export const controlRefused = (status: 401 | 403, message: string): GameballError =>
  new GameballError(status, status === 401 ? 1000 : 1002, 'Authentication Error', message);
export const customerNotFound = (customerId: string): GameballError =>
  catalogueError(7000, `Customer ${customerId} not found.`);
export const nonReversible = (message: string): GameballError => catalogueError(9000, message);
export const alreadyCancelled = (message: string): GameballError => catalogueError(9001, message);
export const transactionNotFound = (transactionId: string): GameballError =>
  catalogueError(9002, `Transaction ${transactionId} not found.`);
export const transactionExists = (transactionId: string): GameballError =>
  catalogueError(9004, `Transaction ID ${transactionId} already exists.`);
export const reversedTransactionNotFound = (transactionId: string, customerId: string, detail = ''): GameballError =>
  catalogueError(9005, `Reversed transaction ${transactionId} not found for customer ${customerId}${detail}.`);
export const holdNotFound = (reference: string, detail = ''): GameballError =>
  catalogueError(9006, `Transaction hold reference ${reference} not found${detail}.`);
export const insufficientBalance = (needed: number, available: number): GameballError =>
  catalogueError(
    9008,
    `Insufficient balance points: this needs ${needed} points and the customer has ${available} available.`,
  );

/**
 * The merchant's coupon endpoint did not create the coupon. Gameball documents no code for this
 * (*inference*): the stand-in answers 502 with code 502, and the message says what the merchant did.
 */
export const merchantFailed = (message: string): GameballError =>
  new GameballError(502, 502, 'CustomCouponEngine', message);

/**
 * An operation Gameball publishes that the stand-in cannot answer. Gameball has no such answer
 * (*inference*): 501 with code 501, naming the operation, where a 404 would say it does not exist.
 */
export const notHonoured = (message: string): GameballError => new GameballError(501, 501, 'Server Error', message);
