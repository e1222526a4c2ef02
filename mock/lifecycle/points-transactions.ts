// Points as money: redeemed as payment (with or without a hold), rewarded as cashback, adjusted by
// hand. A merchant's transaction id is used once across the account (Gameball's 9004), orders'
// ids included, since an order's cashback is the transaction with the order's id.
import type { components } from '../../openapi/generated/gameball.ts';
import type { MockContext } from '../context.ts';
import { invalidValue, missingArguments, transactionExists, transactionNotFound } from '../errors.ts';
import type { LedgerEntry } from '../state/ledger-table.ts';
import { findOrCreateCustomer } from './customers.ts';
import { liveHold, spendHold } from './holds.ts';
import { worth, writeEntry } from './ledger.ts';
import { cashbackPoints } from './loyalty-rules.ts';
import type { TransactionRecord, TransactionType } from './records.ts';
import { pointValue } from './redemption-rules.ts';

type Schemas = components['schemas'];

/** Refused with 9004 when the merchant's id was used before, by any customer. */
export function unusedTransactionId(context: MockContext, transactionId: string): void {
  if (context.store.get('transaction', transactionId) || context.store.get('order', transactionId)) {
    throw transactionExists(transactionId);
  }
}

/** Keeps the transaction under the merchant's id, for 9004 and for refunds. */
export function recordTransaction(
  context: MockContext,
  entry: LedgerEntry,
  type: TransactionType,
  amount: number,
): TransactionRecord {
  const record: TransactionRecord = {
    transactionId: entry.transactionId!,
    customerId: entry.customerId,
    type,
    gameballTransactionId: entry.gameballTransactionId!,
    points: entry.points,
    amount,
    ...(entry.orderId !== undefined ? { orderId: entry.orderId } : {}),
    refunded: { points: 0, amount: 0 },
  };
  context.store.put('transaction', record.transactionId, record);
  return record;
}

/** Points for money: `points` as given, or `amount` through the redemption factor (rounded up). */
function pointsFor(points: number | undefined, amount: number | undefined): number | undefined {
  if (points !== undefined) return points;
  return amount === undefined ? undefined : Math.ceil(Math.round((amount / pointValue) * 1e6) / 1e6);
}

export function redeemPoints(context: MockContext, request: Schemas['RedeemRequest']): Schemas['RedeemResult'] {
  return context.store.transaction(() => {
    unusedTransactionId(context, request.transactionId);
    findOrCreateCustomer(context, request.customerId);
    const asked = pointsFor(request.points, request.amount);
    if (asked !== undefined && !(asked > 0))
      throw invalidValue('Invalid value: the points to redeem must be more than 0.');
    const spend = {
      transactionType: 'Redemption' as const,
      transactionId: request.transactionId,
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
    };
    let entry: LedgerEntry;
    if (request.holdReference !== undefined) {
      const hold = liveHold(context, request.holdReference, request.customerId);
      if (asked !== undefined && asked !== hold.points) {
        throw invalidValue(
          `Invalid value: hold ${hold.holdReference} holds ${hold.points} points, and the redemption asks for ${asked}; send the hold alone.`,
        );
      }
      entry = spendHold(context, hold, { ...spend, amount: worth(hold.points) });
    } else {
      entry = writeEntry(context, {
        ...spend,
        customerId: request.customerId,
        kind: 'spend',
        points: -asked!,
        amount: worth(asked!),
      });
    }
    recordTransaction(context, entry, 'Redemption', entry.amount ?? 0);
    return {
      customerId: request.customerId,
      gameballTransactionId: entry.gameballTransactionId!,
      transactionId: request.transactionId,
      redeemAmount: entry.amount ?? 0,
      redeemEquivalentPoints: -entry.points,
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
    };
  });
}

/** The cashback of an amount paid, by the loyalty rules: written and kept under the merchant's id. */
export function earnCashback(
  context: MockContext,
  paid: { customerId: string; transactionId: string; amount: number; orderId?: string; reason: string },
): LedgerEntry {
  const { points } = cashbackPoints(context.settings.rules, paid.amount);
  const entry = writeEntry(context, { ...paid, kind: 'earn', points, transactionType: 'PaymentReward' });
  recordTransaction(context, entry, 'PaymentReward', paid.amount);
  return entry;
}

export function rewardCashback(context: MockContext, request: Schemas['CashbackRequest']): Schemas['CashbackResult'] {
  return context.store.transaction(() => {
    unusedTransactionId(context, request.transactionId);
    findOrCreateCustomer(context, request.customerId);
    const entry = earnCashback(context, {
      customerId: request.customerId,
      transactionId: request.transactionId,
      amount: request.amount,
      reason: `Cashback on ${request.amount}`,
    });
    const points = entry.points;
    return {
      customerId: request.customerId,
      gameballTransactionId: Number(entry.gameballTransactionId),
      rewardAmount: worth(points),
      rewardEquivalentPoints: points,
    };
  });
}

export function adjustPoints(
  context: MockContext,
  request: Schemas['ManualTransactionRequest'],
): Schemas['ManualTransactionResult'] {
  return context.store.transaction(() => {
    unusedTransactionId(context, request.transactionId);
    const points =
      request.points ?? (request.amount === undefined ? undefined : Math.round(request.amount / pointValue));
    if (points === undefined) throw missingArguments(['points or amount']);
    if (points === 0) throw invalidValue('Invalid value: the points to add or take must not be 0.');
    findOrCreateCustomer(context, request.customerId);
    const type: TransactionType = points > 0 ? 'ManualAccumulation' : 'ManualDeduction';
    const entry = writeEntry(context, {
      customerId: request.customerId,
      kind: points > 0 ? 'earn' : 'spend',
      points,
      transactionType: type,
      transactionId: request.transactionId,
      amount: worth(Math.abs(points)),
      reason: `${request.reason} (${request.username})`,
    });
    recordTransaction(context, entry, type, worth(Math.abs(points)));
    return {
      customerId: request.customerId,
      gameballTransactionId: Number(entry.gameballTransactionId),
      transactionId: request.transactionId,
      points,
      amount: worth(Math.abs(points)) * Math.sign(points),
    };
  });
}

/** Points are never pending on the stand-in (no return window), so activating one activates none. */
export function activateTransaction(context: MockContext, transactionId: string): Schemas['PointsActivation'] {
  const transaction = context.store.get<TransactionRecord>('transaction', transactionId);
  if (!transaction) throw transactionNotFound(transactionId);
  return {
    pointsActivated: 0,
    gameballTransactionId: Number(transaction.gameballTransactionId),
    clientTransactionId: transactionId,
  };
}
