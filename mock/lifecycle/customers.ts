// Customers. A customer created with POST /customers, or first seen by an operation that acts for
// them (a redemption, a hold, an order, a cashback, an event, an award), starts with the stand-in's
// starting points, written to the ledger as its opening entry, so a partner's flow needs no setup.
// Reading what a customer has is another matter: Gameball cannot read a customer it has never seen,
// and answers its 7000 "customer not found" (*inference*: the catalogue has the code; which reads
// answer it is not documented).
import type { components } from '../../openapi/generated/gameball.ts';
import type { MockContext } from '../context.ts';
import { customerNotFound } from '../errors.ts';
import { releaseHold } from './holds.ts';
import { pointsOf, writeEntry } from './ledger.ts';
import type {
  CouponRecord,
  CustomerRecord,
  HoldRecord,
  LockRecord,
  OrderRecord,
  TransactionRecord,
} from './records.ts';

type CustomerRequest = components['schemas']['CustomerRequest'];

/** The customer, who must exist already: Gameball's 404 with code 7000 otherwise. */
export function knownCustomer(context: MockContext, customerId: string): CustomerRecord {
  const found = context.store.get<CustomerRecord>('customer', customerId);
  if (!found) throw customerNotFound(customerId);
  return found;
}

/** The customer, created with the starting points when first seen (within the caller's transaction). */
export function findOrCreateCustomer(context: MockContext, customerId: string): CustomerRecord {
  const found = context.store.get<CustomerRecord>('customer', customerId);
  if (found) return found;
  return context.store.transaction(() => {
    const counter = (context.store.get<number>('counter', 'gameballId') ?? 7_734_000) + 1;
    const customer: CustomerRecord = {
      customerId,
      gameballId: counter,
      attributes: {},
      orders: { count: 0, totalSpent: 0 },
      createdAt: context.now().toISOString(),
    };
    context.store.put('counter', 'gameballId', counter);
    context.store.put('customer', customerId, customer);
    const starting = context.settings.startingPoints;
    if (starting > 0) {
      writeEntry(context, {
        customerId,
        kind: 'opening',
        points: starting,
        transactionType: 'ManualAccumulation',
        amount: 0,
        reason: "The stand-in's starting points",
      });
    }
    return customer;
  });
}

export function upsertCustomer(context: MockContext, request: CustomerRequest): CustomerRecord {
  return context.store.transaction(() => {
    const customer = structuredClone(findOrCreateCustomer(context, request.customerId));
    if (request.email !== undefined) customer.email = request.email;
    if (request.mobile !== undefined) customer.mobile = request.mobile;
    customer.attributes = { ...customer.attributes, ...request.customerAttributes };
    context.store.put('customer', customer.customerId, customer);
    return customer;
  });
}

/**
 * Gameball removes the customer's profile and data: the stand-in ends the customer's holds, closes
 * the balance with a last entry (the ledger itself stays, as Gameball's transaction lists keep a
 * deleted customer's transactions), and forgets the customer's coupons and locks. The customer's
 * transactions and orders are closed with the balance: a refund or a cancellation of one would
 * otherwise move points of the closed balance into a new profile under the same id (*inference*:
 * Gameball does not say; 9005 and 4004, as for a transaction or order it does not know).
 */
export function deleteCustomer(context: MockContext, customerId: string): void {
  knownCustomer(context, customerId);
  context.store.transaction(() => {
    for (const hold of context.store.listOwned<HoldRecord>('hold', customerId)) {
      if (hold.status === 'active') releaseHold(context, hold, 'The customer was deleted.');
    }
    const { balance } = pointsOf(context, customerId);
    if (balance !== 0) {
      writeEntry(context, { customerId, kind: 'closing', points: -balance, reason: 'The customer was deleted.' });
    }
    for (const coupon of context.store.listOwned<CouponRecord>('coupon', customerId)) {
      context.store.delete('coupon', coupon.code);
    }
    for (const lock of context.store.listOwned<LockRecord>('lock', customerId)) {
      context.store.delete('lock', lock.lockReference);
    }
    const closedAt = context.now().toISOString();
    for (const transaction of context.store.listOwned<TransactionRecord>('transaction', customerId)) {
      context.store.put('transaction', transaction.transactionId, { ...transaction, closedAt });
    }
    for (const order of context.store.listOwned<OrderRecord>('order', customerId)) {
      context.store.put('order', order.orderId, { ...order, closedAt });
    }
    context.store.delete('customer', customerId);
  });
}
