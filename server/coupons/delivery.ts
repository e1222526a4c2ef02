// A coupon delivery as the contract defines it: validated by the contract's own compiled schema,
// and turned into the StoredCoupon the endpoint answers with.
import { describeErrors, type ErrorObject, requestBodyValidator } from '../../openapi/contract.ts';
import type { components } from '../../openapi/generated/merchant.ts';
import { unknownCouponType, validationFailed } from '../problem.ts';

export type CouponDelivery = components['schemas']['CouponDelivery'];
export type StoredCoupon = components['schemas']['StoredCoupon'];
export type CouponType = CouponDelivery['couponType'];

/** Compiled once, from the contract; never a hand-written copy of the schema. */
const validate = requestBodyValidator<CouponDelivery>('merchant', 'post', '/coupons');

/** The body as a CouponDelivery, or a 422 naming every offending field. */
export function parseDelivery(body: unknown): CouponDelivery {
  if (validate(body)) return body;
  const errors = validate.errors ?? [];
  const details = describeErrors(errors).map((problem) => ({ ...problem }));
  const unknownType = errors.find((e) => e.instancePath === '/couponType' && e.keyword === 'enum');
  if (unknownType && typeof (body as { couponType?: unknown }).couponType === 'string') {
    throw unknownCouponType(unknownTypeMessage(unknownType, (body as CouponDelivery).couponType), details);
  }
  throw validationFailed('The coupon delivery is invalid.', details);
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
export function toStoredCoupon(delivery: CouponDelivery, createdAt: string): StoredCoupon {
  const { code, ...attributes } = delivery;
  const coupon: StoredCoupon = { couponCode: code, ...attributes, createdAt };
  coupon.couponCode = code;
  coupon.createdAt = createdAt;
  return coupon;
}
