// A coupon at checkout: validated (optionally locked for the checkout), then burnt by the order that
// used it, or released when the checkout is abandoned. The conflicts Gameball reports (an unknown
// code, a coupon already burnt, an expired lock) are refused with Gameball's error body.
import type { MockContext } from '../context.ts';
import { isoAfter, isPast, newestFirst } from '../dates.ts';
import { invalidValue, notFound } from '../errors.ts';
import type { CouponRecord, LockRecord } from './records.ts';

/** How long a lock holds when the validation names no lockDuration (*inference*: minutes, 10 by default). */
const defaultLockMinutes = 10;

interface Validation {
  coupons: CouponRecord[];
  lock?: LockRecord;
}

export function validateCoupons(
  context: MockContext,
  request: {
    customerId: string;
    codes: string[];
    lock?: boolean;
    lockReference?: string;
    lockDuration?: number;
    /** One coupon joins the session named (validate one); otherwise the list replaces the session's. */
    addToLock?: boolean;
  },
): Validation {
  const now = context.now();
  const named =
    request.lockReference === undefined ? undefined : ownLockOnly(context, request.lockReference, request.customerId);
  const claim = request.lock ? { lockReference: request.lockReference } : undefined;
  const coupons = request.codes.map((code) => usableCoupon(context, request.customerId, code, now, claim));
  if (!request.lock) return { coupons };
  if (named) refuseEnded(named);
  const minutes = request.lockDuration ?? defaultLockMinutes;
  if (!(minutes > 0)) throw invalidValue('Invalid value for lockDuration: it must be a positive number of minutes.');
  const lockReference = request.lockReference ?? context.nextReference('LCK');
  const { kept, dropped } = previousCoupons(context, lockReference, request.codes, request.addToLock === true);
  const lock: LockRecord = {
    lockReference,
    customerId: request.customerId,
    codes: [...kept, ...coupons.map((c) => c.code)],
    createdAt: now.toISOString(),
    expiresAt: isoAfter(now, minutes * 60_000, 'lockDuration'),
    status: 'active',
  };
  const locked = coupons.map((coupon) => ({ ...coupon, status: 'locked' as const, lockReference }));
  context.store.transaction(() => {
    context.store.put('lock', lockReference, lock);
    for (const coupon of [...locked, ...dropped]) context.store.put('coupon', coupon.code, coupon);
  });
  return { coupons: locked, lock };
}

/**
 * What becomes of the coupons a lock session already holds when a validation names it: one coupon
 * validated joins them (`kept`); a list validated replaces them, and those it leaves out are let go
 * (`dropped`), or they would stay locked under a lock that names them nowhere (*inference*: Gameball
 * says the session is locked with "a new or updated list").
 */
function previousCoupons(
  context: MockContext,
  lockReference: string,
  codes: string[],
  add: boolean,
): { kept: string[]; dropped: CouponRecord[] } {
  const listed = new Set(codes);
  const others = (context.store.get<LockRecord>('lock', lockReference)?.codes ?? []).filter((c) => !listed.has(c));
  const held = unlockedBy(context, lockReference, others);
  return add ? { kept: held.map((c) => c.code), dropped: [] } : { kept: [], dropped: held };
}

/** Those of the codes the lock still holds, unlocked (a lapsed lock's coupons may be locked anew since). */
function unlockedBy(context: MockContext, lockReference: string, codes: string[]): CouponRecord[] {
  return codes
    .map((code) => context.store.get<CouponRecord>('coupon', code)!)
    .filter((coupon) => coupon.status === 'locked' && coupon.lockReference === lockReference)
    .map((coupon) => ({ ...coupon, status: 'active' as const, lockReference: undefined }));
}

/**
 * A lock reference belongs to the customer who took it: another customer naming it is refused as
 * if it did not exist (*inference*: Gameball documents no code for it), and cannot take it over.
 */
function ownLockOnly(context: MockContext, lockReference: string, customerId: string): LockRecord | undefined {
  const lock = context.store.get<LockRecord>('lock', lockReference);
  if (lock && lock.customerId !== customerId) {
    throw notFound(`Lock ${lockReference} not found for customer ${customerId}.`);
  }
  return lock;
}

/**
 * A burnt or released lock ended its checkout: it is refused, never reopened, so an order naming
 * that reference later cannot burn coupons locked after the checkout it belonged to (*inference*:
 * Gameball documents a lock reference per checkout session and no reuse).
 */
function refuseEnded(lock: LockRecord): void {
  const ended = lock.status === 'burnt' ? 'burnt by an order' : lock.status === 'released' ? 'released' : undefined;
  if (ended) {
    throw invalidValue(
      `Lock ${lock.lockReference} was already ${ended}: its checkout ended; validate with lock: true and no lockReference for a new lock.`,
    );
  }
}

/**
 * The coupon, if this customer can use it now; otherwise the refusal Gameball would give. A lock
 * keeps a coupon from other checkouts, so only a request that takes a lock (`claim`) is refused a
 * coupon another lock holds, unless it names that lock. A plain validation, or a burn by code, is
 * not: the coupon is the customer's own, and so is every lock on it (*inference*: Gameball's
 * `lockReference` is asked for only with `lock: true`, so a checkout re-validating its cart cannot
 * name its lock).
 */
function usableCoupon(
  context: MockContext,
  customerId: string,
  code: string,
  now: Date,
  claim?: { lockReference?: string | undefined },
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
  if (lock && claim && lock.lockReference !== claim.lockReference) {
    throw invalidValue(
      `Coupon ${code} is locked by another checkout of customer ${customerId} (lock ${lock.lockReference}) until ${lock.expiresAt}; lock it under that lockReference, release that lock or wait for it to expire.`,
    );
  }
  return lock ? coupon : { ...coupon, status: 'active', lockReference: undefined };
}

/**
 * An order's coupon codes are those of a lock the customer holds now, of the lock the order names
 * if it names one: Gameball's document says they "must be locked before they can be used for
 * redemption". A code that is not is refused with 3003, as the other coupons a checkout cannot use
 * are (*inference* on the code).
 */
export function checkOrderCodesLocked(
  context: MockContext,
  request: { customerId: string; codes: string[]; lockReference?: string | undefined },
): void {
  const now = context.now();
  for (const code of request.codes) {
    const coupon = usableCoupon(context, request.customerId, code, now);
    const lock = heldLock(context, coupon, now);
    if (lock && (request.lockReference === undefined || lock.lockReference === request.lockReference)) continue;
    const which = request.lockReference === undefined ? 'a lock' : `lock ${request.lockReference}`;
    throw invalidValue(
      `Coupon ${code} is not locked by ${which}: coupon codes must be locked before an order uses them; validate them with lock: true and give the order its couponsLockReference.`,
    );
  }
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
  // The document requires lockReference or a non-empty coupons (request-input.ts refuses the rest).
  const coupons = (request.coupons ?? []).map((code) => {
    const coupon = usableCoupon(context, request.customerId, code, now);
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
  const coupons = unlockedBy(context, lockReference, lock.codes);
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
