// Points move only by writing ledger entries, and only here: every path that spends or holds
// (a redemption, a hold, a coupon rule, a refund that takes points back, a control-plane debit)
// writes through writeEntry, which refuses what the customer does not have available (the balance
// less the points held by holds that have not lapsed). So points never go negative and a hold is
// never spent twice. Callers run it within the customer's queue and a store transaction.
import type { MockContext } from '../context.ts';
import { insufficientBalance, invalidValue } from '../errors.ts';
import type { LedgerEntry } from '../state/ledger-table.ts';
import { pointValue } from './redemption-rules.ts';

export interface Points {
  balance: number;
  held: number;
  available: number;
}

export type NewEntry = Omit<LedgerEntry, 'id' | 'at' | 'balanceAfter' | 'held'> & { held?: number };

/** Gameball's transaction ids, as the stand-in numbers them: its ledger entry's place, offset. */
const firstTransactionId = 11_000_000;

export const gameballTransactionId = (entryId: number): string => String(firstTransactionId + entryId);

/** The ledger entry id after which a page of transactions starts, from Gameball's `startAfter`. */
export const entryIdAfter = (startAfter: number): number => Math.max(0, startAfter - firstTransactionId);

export function pointsOf(context: MockContext, customerId: string): Points {
  const { balance, held } = context.store.ledger.totals(customerId, context.now().toISOString());
  return { balance, held, available: balance - held };
}

/** What points are worth in the store's currency, to the cent. */
export const worth = (points: number): number => Math.round(points * pointValue * 100) / 100;

/** Writes one entry; refused with 9008 when it would take or hold more than is available, 3003 past safe integers. */
export function writeEntry(context: MockContext, entry: NewEntry): LedgerEntry {
  const now = context.now().toISOString();
  const { balance, held } = context.store.ledger.totals(entry.customerId, now);
  const heldChange = entry.held ?? 0;
  const taken = Math.max(0, -entry.points) + Math.max(0, heldChange);
  if (taken > 0 && taken > balance - held) throw insufficientBalance(taken, balance - held);
  if (!Number.isSafeInteger(balance + entry.points)) {
    throw invalidValue(
      `Invalid value: the balance of ${entry.customerId} would pass ${Number.MAX_SAFE_INTEGER} points.`,
    );
  }
  const id = context.store.ledger.nextId();
  const written: LedgerEntry = {
    ...entry,
    id,
    at: now,
    held: heldChange,
    balanceAfter: balance + entry.points,
    ...(entry.transactionType !== undefined ? { gameballTransactionId: gameballTransactionId(id) } : {}),
  };
  context.store.ledger.append(written);
  return written;
}
