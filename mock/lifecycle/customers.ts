// Customers and their points. A customer created with POST /customers, or first seen by an
// operation that acts for them (redemption options, a redemption, an order, an award), starts with
// the stand-in's starting points, so a partner's flow needs no setup. Reading what a customer has
// is another matter: Gameball cannot list the coupons of a customer it has never seen, and answers
// its 7000 "customer not found" (*inference*: the catalogue has the code; which reads answer it is
// not documented).
import type { MockContext } from '../context.ts';
import { customerNotFound, insufficientBalance, invalidValue } from '../errors.ts';
import type { CustomerRecord } from './records.ts';

/** The customer, who must exist already: Gameball's 404 with code 7000 otherwise. */
export function knownCustomer(context: MockContext, customerId: string): CustomerRecord {
  const found = context.store.get<CustomerRecord>('customer', customerId);
  if (!found) throw customerNotFound(customerId);
  return found;
}

export function findOrCreateCustomer(context: MockContext, customerId: string): CustomerRecord {
  const found = context.store.get<CustomerRecord>('customer', customerId);
  if (found) return found;
  const counter = (context.store.get<number>('counter', 'gameballId') ?? 7_734_000) + 1;
  const customer: CustomerRecord = {
    customerId,
    gameballId: counter,
    points: context.settings.startingPoints,
    createdAt: context.now().toISOString(),
  };
  context.store.transaction(() => {
    context.store.put('counter', 'gameballId', counter);
    context.store.put('customer', customerId, customer);
  });
  return customer;
}

export function upsertCustomer(
  context: MockContext,
  customerId: string,
  attributes: { displayName?: string; email?: string; mobile?: string },
): CustomerRecord {
  const customer = { ...findOrCreateCustomer(context, customerId) };
  for (const key of ['displayName', 'email', 'mobile'] as const) {
    if (typeof attributes[key] === 'string') customer[key] = attributes[key];
  }
  context.store.put('customer', customerId, customer);
  return customer;
}

/** Points the customer can spend now: the balance less what in-flight redemptions hold. */
export function availablePoints(context: MockContext, customer: CustomerRecord): number {
  return customer.points - (context.reserved.get(customer.customerId) ?? 0);
}

/**
 * Holds points while the merchant is called, so two redemptions at once cannot both spend the
 * same balance. The hold lives in memory only: nothing is stored until the coupon exists.
 */
export function holdPoints(context: MockContext, customerId: string, points: number): () => void {
  const customer = findOrCreateCustomer(context, customerId);
  const available = availablePoints(context, customer);
  if (points > available) throw insufficientBalance(points, available);
  context.reserved.set(customerId, (context.reserved.get(customerId) ?? 0) + points);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (context.reserved.get(customerId) ?? 0) - points;
    if (left > 0) context.reserved.set(customerId, left);
    else context.reserved.delete(customerId);
  };
}

/** Changes the stored balance (inside the caller's transaction); never below zero. */
export function changePoints(context: MockContext, customerId: string, delta: number): CustomerRecord {
  const customer = { ...findOrCreateCustomer(context, customerId) };
  if (customer.points + delta < 0) throw insufficientBalance(-delta, customer.points);
  if (!Number.isSafeInteger(customer.points + delta)) {
    throw invalidValue(`Invalid value: the balance of ${customerId} would pass ${Number.MAX_SAFE_INTEGER} points.`);
  }
  customer.points += delta;
  context.store.put('customer', customerId, customer);
  return customer;
}

export function creditPoints(context: MockContext, customerId: string, points: number): CustomerRecord {
  if (!Number.isSafeInteger(points) || points === 0) {
    throw invalidValue('points must be a whole number other than 0 (negative to debit).');
  }
  return context.store.transaction(() => changePoints(context, customerId, points));
}
