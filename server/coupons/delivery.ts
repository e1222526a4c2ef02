// A coupon delivery as the contract defines it: validated by the contract's own compiled schema,
// and turned into the StoredCoupon the endpoint answers with.
import {
  describeErrors,
  type ErrorObject,
  requestBodyValidator,
  type ValidateFunction,
} from '../../openapi/contract.ts';
import type { components } from '../../openapi/generated/merchant.ts';
import { unknownCouponType, validationFailed } from '../problem.ts';

export type CouponDelivery = components['schemas']['CouponDelivery'];
/** A delivery with its code: the one Gameball sent, or the one the server generated for it. */
export type CodedDelivery = CouponDelivery & { code: string };
export type StoredCoupon = components['schemas']['StoredCoupon'];
export type CouponType = CouponDelivery['couponType'];

/** Compiled once, from the contract; never a hand-written copy of the schema. Lists every problem. */
const validateAll = requestBodyValidator('merchant', 'post', '/coupons');

/**
 * The same schema compiled to stop at the first problem. Every delivery goes through this one; the
 * full list is worked out only for bodies small enough that listing is cheap. With allErrors, a
 * megabyte of wrong array items costs ~300 ms of blocked event loop and 100 MB of error objects.
 */
const validateFirst: ValidateFunction = requestBodyValidator('merchant', 'post', '/coupons', { allErrors: false });

/** Bodies up to this size get every problem listed; bigger ones the first problem only. */
export const listAllProblemsUpTo = 16 * 1024;

/**
 * The body as a CouponDelivery, or a 422 naming the offending fields (every one when the body is
 * at most `listAllProblemsUpTo` bytes, else the first).
 */
export function parseDelivery(body: unknown, bodyBytes: number): CouponDelivery {
  if (validateFirst(body)) return body as CouponDelivery;
  const listAll = bodyBytes <= listAllProblemsUpTo;
  if (listAll) validateAll(body);
  const errors = (listAll ? validateAll.errors : validateFirst.errors) ?? [];
  const details = describeErrors(errors).map((problem) => ({ ...problem }));
  if (!listAll) {
    const message = `The coupon delivery is invalid; validation stopped at the first problem (the body is over ${listAllProblemsUpTo} bytes).`;
    throw errors.some(isUnknownType) ? unknownCouponType(message, details) : validationFailed(message, details);
  }
  const unknownType = errors.find(isUnknownType);
  if (unknownType && typeof (body as { couponType?: unknown }).couponType === 'string') {
    throw unknownCouponType(unknownTypeMessage(unknownType, (body as CouponDelivery).couponType), details);
  }
  throw validationFailed('The coupon delivery is invalid.', details);
}

function isUnknownType(error: ErrorObject): boolean {
  return error.instancePath === '/couponType' && error.keyword === 'enum';
}

function unknownTypeMessage(error: ErrorObject, received: string): string {
  const allowed = (error.params as { allowedValues: string[] }).allowedValues;
  return `couponType ${JSON.stringify(received)} is not one of ${allowed.join(', ')}.`;
}

/**
 * The stored coupon: `couponCode`, every attribute of the delivery (unknown ones included) and
 * `createdAt`. A delivery's own `couponCode` or `createdAt` property stays in the stored delivery
 * but cannot override the two fields the endpoint owns.
 */
export function toStoredCoupon(delivery: CodedDelivery, createdAt: string): StoredCoupon {
  const { code, ...attributes } = delivery;
  const coupon: StoredCoupon = { couponCode: code, ...attributes, createdAt };
  coupon.couponCode = code;
  coupon.createdAt = createdAt;
  return coupon;
}
