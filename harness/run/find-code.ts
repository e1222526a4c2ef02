// Where the coupon code must be in the answer: `couponCode` for the default template (the
// contract), at a JSON pointer when the user names one, else anywhere in the body.
import { parsePointer, valueAt } from '../../openapi/json-pointer.ts';
import type { Exchange } from '../http/send-request.ts';

export function findCode(
  exchange: Exchange,
  code: string,
  usesDefaultTemplate: boolean,
  codePointer?: string,
): boolean {
  const response = exchange.response;
  if (!response) return false;
  if (codePointer !== undefined) return valueAt(response.json, parsePointer(codePointer)) === code;
  if (usesDefaultTemplate) return (response.json as { couponCode?: unknown } | undefined)?.couponCode === code;
  return response.body.includes(code);
}
