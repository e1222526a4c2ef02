// Holds: points reserved in the ledger (a `hold` entry) until they are spent (a `release` and a
// `spend` written together), released (a `release`), or lapse. A partner holds points with
// POST /transactions/hold; a redemption holds a rule's points while the merchant is called. Only
// the customer who holds them can spend a hold, and only while it holds: otherwise Gameball's 9006.
import type { MockContext } from '../context.ts';
import { holdNotFound } from '../errors.ts';
import type { LedgerEntry } from '../state/ledger-table.ts';
import { type NewEntry, writeEntry } from './ledger.ts';
import type { HoldRecord } from './records.ts';

/** Reserves `points` (refused with 9008 beyond what is available). */
export function placeHold(
  context: MockContext,
  customerId: string,
  points: number,
  expiresAt: string | null,
  reason: string,
): HoldRecord {
  return context.store.transaction(() => {
    const holdReference = context.nextReference('HLD', 'hold');
    writeEntry(context, {
      customerId,
      kind: 'hold',
      points: 0,
      held: points,
      holdReference,
      holdExpiresAt: expiresAt,
      reason,
    });
    const hold: HoldRecord = {
      holdReference,
      customerId,
      points,
      createdAt: context.now().toISOString(),
      expiresAt,
      status: 'active',
    };
    context.store.put('hold', holdReference, hold);
    return hold;
  });
}

/** Whether the hold still reserves its points now. */
export function isHolding(context: MockContext, hold: HoldRecord): boolean {
  return hold.status === 'active' && (hold.expiresAt === null || hold.expiresAt > context.now().toISOString());
}

/** The customer's hold, still holding; 9006 when there is none (unknown, another customer's, used, released, lapsed). */
export function liveHold(context: MockContext, holdReference: string, customerId: string): HoldRecord {
  const hold = context.store.get<HoldRecord>('hold', holdReference);
  if (!hold || hold.customerId !== customerId) throw holdNotFound(holdReference, ` for customer ${customerId}`);
  if (hold.status === 'used') throw holdNotFound(holdReference, `: it was already spent by ${hold.usedBy}`);
  if (hold.status === 'released') throw holdNotFound(holdReference, ': it was released');
  if (!isHolding(context, hold)) throw holdNotFound(holdReference, `: it lapsed at ${hold.expiresAt}`);
  return hold;
}

/** The entry that ends a hold; its status, `released` or `used`, kept with the hold. */
function endHold(context: MockContext, hold: HoldRecord, ended: Partial<HoldRecord>, reason: string): void {
  writeEntry(context, {
    customerId: hold.customerId,
    kind: 'release',
    points: 0,
    held: -hold.points,
    holdReference: hold.holdReference,
    holdExpiresAt: hold.expiresAt,
    reason,
  });
  context.store.put('hold', hold.holdReference, { ...hold, ...ended });
}

/** Ends the hold: its points are available again. */
export function releaseHold(context: MockContext, hold: HoldRecord, reason: string): void {
  context.store.transaction(() => endHold(context, hold, { status: 'released' }, reason));
}

/** Spends the hold's points: its release and the spend land together. */
export function spendHold(
  context: MockContext,
  hold: HoldRecord,
  spend: Omit<NewEntry, 'customerId' | 'kind' | 'points'>,
): LedgerEntry {
  return context.store.transaction(() => {
    const usedBy = spend.transactionId ?? spend.couponCode ?? 'a redemption';
    endHold(context, hold, { status: 'used', usedBy }, `Spent by ${usedBy}`);
    return writeEntry(context, { ...spend, customerId: hold.customerId, kind: 'spend', points: -hold.points });
  });
}
