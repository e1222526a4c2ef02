// The control plane's view of and hand on a customer's points: the balance and what is available,
// the whole ledger, and a credit or debit (a debit only of points available, never below 0).
import type { components } from '../../openapi/generated/gameball-mock-control.ts';
import type { MockContext } from '../context.ts';
import { customerNotFound, invalidValue } from '../errors.ts';
import { findOrCreateCustomer } from './customers.ts';
import { pointsOf, worth, writeEntry } from './ledger.ts';
import type { CustomerRecord } from './records.ts';

type Schemas = components['schemas'];

export function mockCustomer(context: MockContext, customer: CustomerRecord): Schemas['MockCustomer'] {
  const { balance, available } = pointsOf(context, customer.customerId);
  return {
    customerId: customer.customerId,
    gameballId: customer.gameballId,
    points: balance,
    availablePoints: available,
  };
}

export function creditPoints(context: MockContext, customerId: string, points: number): Schemas['MockCustomer'] {
  if (!Number.isSafeInteger(points) || points === 0) {
    throw invalidValue('points must be a whole number other than 0 (negative to debit).');
  }
  return context.store.transaction(() => {
    const customer = findOrCreateCustomer(context, customerId);
    writeEntry(context, {
      customerId,
      kind: points > 0 ? 'earn' : 'spend',
      points,
      transactionType: points > 0 ? 'ManualAccumulation' : 'ManualDeduction',
      amount: worth(Math.abs(points)),
      reason: points > 0 ? 'Credited on the control plane' : 'Debited on the control plane',
    });
    return mockCustomer(context, customer);
  });
}

/** The customer's ledger; a customer never seen (no record, no entry) is 7000. */
export function customerLedger(context: MockContext, customerId: string): Schemas['CustomerLedger'] {
  const entries = context.store.ledger.entries(customerId);
  if (entries.length === 0 && !context.store.get('customer', customerId)) throw customerNotFound(customerId);
  const { balance, held, available } = pointsOf(context, customerId);
  return { customerId, entries, balance, held, available };
}
