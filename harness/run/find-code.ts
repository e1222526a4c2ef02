// Where the coupon code must be in the answer: `couponCode` for the default template (the
// contract), at a JSON pointer when the user names one, else anywhere in the body.
import type { Exchange } from '../http/send-request.ts';

export function findCode(
  exchange: Exchange,
  code: string,
  usesDefaultTemplate: boolean,
  codePointer?: string,
): boolean {
  const response = exchange.response;
  if (!response) return false;
  if (codePointer !== undefined) return valueAt(response.json, codePointer) === code;
  if (usesDefaultTemplate) return (response.json as { couponCode?: unknown } | undefined)?.couponCode === code;
  return response.body.includes(code);
}

/** RFC 6901 JSON pointer lookup ("" is the whole document). */
export function valueAt(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let node = document;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
