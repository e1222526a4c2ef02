// Every route of the merchant document, one line each. test/server/routes.test.ts holds this table
// against openapi/merchant.yaml: a path or method on one side only fails the build.
import type { Route } from '../router.ts';
import type { CouponStore } from '../store/store.ts';
import { createCoupon } from './create-coupon.ts';
import { getCoupon } from './get-coupon.ts';
import { health, readiness } from './health.ts';

/** `newCode` draws a code for a delivery without one (the merchant generates the code). */
export function routes(store: CouponStore, newCode: () => string): Route[] {
  return [
    { method: 'POST', path: '/coupons', auth: true, body: true, handle: createCoupon(store, newCode) },
    { method: 'GET', path: '/coupons/{code}', auth: true, body: false, handle: getCoupon(store) },
    { method: 'GET', path: '/healthz', auth: false, body: false, handle: health(store) },
    { method: 'GET', path: '/readyz', auth: false, body: false, handle: readiness(store) },
  ];
}
