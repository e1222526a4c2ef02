// A coupon at checkout: validated (optionally locked for the checkout), then burnt by the order that
// used it, or released when the checkout is abandoned. The conflicts Gameball reports (an unknown
// code, a coupon already burnt, an expired lock) are refused with Gameball's error body.
import type { MockContext } from '../context.ts';
import { isoAfter, isPast, newestFirst } from '../dates.ts';
import { invalidValue, missingArguments, notFound } from '../errors.ts';
import type { CouponRecord, LockRecord } from './records.ts';

/** How long a lock holds when the validation names no lockDuration (*inference*: minutes, 10 by default). */
const defaultLockMinutes = 10;

interface Validation {
  coupons: CouponRecord[];
  lock?: LockRecord;
}

export function validateCoupons(
  context: MockContext,
  request: { customerId: string; codes: string[]; lock?: boolean; lockReference?: string; lockDuration?: number },
): Validation {
  const now = context.now();
  if (request.lockReference !== undefined) ownLockOnly(context, request.lockReference, request.customerId);
  const coupons = request.codes.map((code) =>
    usableCoupon(context, request.customerId, code, now, request.lockReference),
  );
  if (!request.lock) return { coupons };
  const minutes = request.lockDuration ?? defaultLockMinutes;
  if (!(minutes > 0)) throw invalidValue('Invalid value for lockDuration: it must be a positive number of minutes.');
  const lockReference = request.lockReference ?? context.nextReference('LCK');
  const lock: LockRecord = {
    lockReference,
    customerId: request.customerId,
    codes: coupons.map((c) => c.code),
    createdAt: now.toISOString(),
    expiresAt: isoAfter(now, minutes * 60_000, 'lockDuration'),
    status: 'active',
  };
  const locked = coupons.map((coupon) => ({ ...coupon, status: 'locked' as const, lockReference }));
  context.store.transaction(() => {
    context.store.put('lock', lockReference, lock);
    for (const coupon of locked) context.store.put('coupon', coupon.code, coupon);
  });
  return { coupons: locked, lock };
}

/**
 * A lock reference belongs to the customer who took it: another customer naming it is refused as
 * if it did not exist (*inference*: Gameball documents no code for it), and cannot take it over.
 */
function ownLockOnly(context: MockContext, lockReference: string, customerId: string): void {
  const lock = context.store.get<LockRecord>('lock', lockReference);
  if (lock && lock.customerId !== customerId) {
    throw notFound(`Lock ${lockReference} not found for customer ${customerId}.`);
  }
}

/** The coupon, if this customer can use it now; otherwise the refusal Gameball would give. */
function usableCoupon(
  context: MockContext,
  customerId: string,
  code: string,
  now: Date,
  ownLock?: string,
): CouponRecord {
  const coupon = context.store.get<CouponRecord>('coupon', code);
  if (!coupon || coupon.customerId !== customerId) {
    throw notFound(`Coupon ${code} not found for customer ${customerId}.`);
  }
  if (coupon.status === 'burnt') {
    throw invalidValue(`Coupon ${code} was already used (burnt at ${coupon.burnedAt}).`);
  }
  if (coupon.expiryDate && isPast(coupon.expiryDate, now)) {
    throw invalidValue(`Coupon ${code} expired at ${coupon.expiryDate}.`);
  }
  const lock = heldLock(context, coupon, now);
  if (lock && lock.lockReference !== ownLock) {
    throw invalidValue(
      `Coupon ${code} is locked by another checkout (lock ${lock.lockReference}) until ${lock.expiresAt}; release that lock or wait for it to expire.`,
    );
  }
  return lock ? coupon : { ...coupon, status: 'active', lockReference: undefined };
}

/** The lock holding the coupon now, if any: an expired or finished lock holds nothing. */
function heldLock(context: MockContext, coupon: CouponRecord, now: Date): LockRecord | undefined {
  if (coupon.status !== 'locked' || !coupon.lockReference) return undefined;
  const lock = context.store.get<LockRecord>('lock', coupon.lockReference);
  return lock && lock.status === 'active' && !isPast(lock.expiresAt, now) ? lock : undefined;
}

/** A lock that can still be burnt or released, or the refusal. */
function liveLock(context: MockContext, lockReference: string, customerId?: string): LockRecord {
  const lock = context.store.get<LockRecord>('lock', lockReference);
  if (!lock || (customerId !== undefined && lock.customerId !== customerId)) {
    throw notFound(`Lock ${lockReference} not found${customerId ? ` for customer ${customerId}` : ''}.`);
  }
  if (lock.status === 'burnt') throw invalidValue(`Lock ${lockReference} was already burnt: its coupons are used.`);
  if (lock.status === 'released') throw invalidValue(`Lock ${lockReference} was already released.`);
  return lock;
}

interface Burn {
  burnedAt: string;
  coupons: CouponRecord[];
}

export function burnCoupons(
  context: MockContext,
  request: { customerId: string; coupons?: string[]; lockReference?: string },
): Burn {
  const now = context.now();
  const burnedAt = now.toISOString();
  if (request.lockReference !== undefined) {
    const lock = liveLock(context, request.lockReference, request.customerId);
    if (isPast(lock.expiresAt, now)) {
      throw invalidValue(
        `Lock ${lock.lockReference} expired at ${lock.expiresAt}; validate the coupons again with lock: true before burning them.`,
      );
    }
    const coupons = lock.codes.map((code) => {
      const coupon = context.store.get<CouponRecord>('coupon', code)!;
      if (coupon.status === 'burnt')
        throw invalidValue(`Coupon ${code} was already used (burnt at ${coupon.burnedAt}).`);
      return { ...coupon, status: 'burnt' as const, burnedAt };
    });
    context.store.transaction(() => {
      context.store.put('lock', lock.lockReference, { ...lock, status: 'burnt' });
      for (const coupon of coupons) context.store.put('coupon', coupon.code, coupon);
    });
    return { burnedAt, coupons };
  }
  if (!request.coupons || request.coupons.length === 0) throw missingArguments(['coupons or lockReference']);
  const coupons = request.coupons.map((code) => {
    const coupon = usableCoupon(
      context,
      request.customerId,
      code,
      now,
      context.store.get<CouponRecord>('coupon', code)?.lockReference,
    );
    return { ...coupon, status: 'burnt' as const, burnedAt };
  });
  context.store.transaction(() => {
    for (const coupon of coupons) {
      context.store.put('coupon', coupon.code, coupon);
      const lock = coupon.lockReference ? context.store.get<LockRecord>('lock', coupon.lockReference) : undefined;
      if (lock?.status === 'active') context.store.put('lock', lock.lockReference, { ...lock, status: 'burnt' });
    }
  });
  return { burnedAt, coupons };
}

interface Release {
  releasedAt: string;
  coupons: CouponRecord[];
}

/** Ends the lock; the coupons it released are those it still held (a lapsed lock's may be locked anew). */
export function releaseLock(context: MockContext, lockReference: string): Release {
  const lock = liveLock(context, lockReference);
  const releasedAt = context.now().toISOString();
  const coupons = lock.codes
    .map((code) => context.store.get<CouponRecord>('coupon', code)!)
    .filter((coupon) => coupon.status === 'locked' && coupon.lockReference === lockReference)
    .map((coupon) => ({ ...coupon, status: 'active' as const, lockReference: undefined }));
  context.store.transaction(() => {
    context.store.put('lock', lockReference, { ...lock, status: 'released' });
    for (const coupon of coupons) context.store.put('coupon', coupon.code, coupon);
  });
  return { releasedAt, coupons };
}

export function customerCoupons(context: MockContext, customerId: string): CouponRecord[] {
  const now = context.now();
  return context.store
    .listOwned<CouponRecord>('coupon', customerId)
    .map((coupon) =>
      coupon.status === 'locked' && !heldLock(context, coupon, now) ? { ...coupon, status: 'active' as const } : coupon,
    )
    .sort((a, b) => newestFirst(a.createdAt, b.createdAt));
}
