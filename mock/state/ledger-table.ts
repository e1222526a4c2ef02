// The points ledger in the state store: entries are only ever added, each with what it adds to the
// balance (`points`) and to the points held (`held`). A balance is the sum of a customer's entries;
// the points held are the sum of the `held` of entries whose hold has not lapsed (a hold and its
// release carry the same expiry, so a released hold adds nothing before or after it lapses). Every
// lookup is by customer or by entry id: an SQLite index, or arrays kept per customer in memory. The
// totals are kept as entries are added, in memory and in SQLite (ledger-accounts.ts) alike.
import type { components } from '../../openapi/generated/gameball-mock-control.ts';
import { createSqliteAccounts } from './ledger-accounts.ts';
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.ts';

export type LedgerEntry = components['schemas']['LedgerEntry'];

export interface TransactionFilter {
  customerId?: string | undefined;
  /** `+` points added, `-` points taken; both when absent. */
  direction?: '+' | '-' | undefined;
  /** Only entries after this id. */
  startAfter?: number | undefined;
  limit?: number | undefined;
}

export interface LedgerTotals {
  balance: number;
  held: number;
  /** Points ever earned: what earning transactions (cashback, rewards, additions) added. */
  earned: number;
}

/** The transaction types whose points are earned (Gameball's totalEarnedPoints). */
const earning = ['PaymentReward', 'AchievementReward', 'ManualAccumulation'];
const isEarning = (entry: LedgerEntry): boolean =>
  entry.points > 0 && entry.transactionType !== undefined && earning.includes(entry.transactionType);

export interface LedgerTable {
  /** Adds an entry (within the store's transaction); `id` is nextId(). */
  append(entry: LedgerEntry): void;
  /** The customer's entries, oldest first. */
  entries(customerId: string): LedgerEntry[];
  /** The sum of the customer's points, and the points held by holds not lapsed at `now` (ISO 8601). */
  totals(customerId: string, now: string): LedgerTotals;
  nextId(): number;
  /** Entries that are Gameball transactions (they have a transactionType), in id order. */
  transactions(filter: TransactionFilter): LedgerEntry[];
  countTransactions(filter: TransactionFilter): number;
  clear(): void;
}

/** Records how to undo a change, when a transaction is open (see the memory store). */
export type UndoJournal = (undo: () => void) => void;

interface Account {
  entries: LedgerEntry[];
  balance: number;
  earned: number;
  /** Held points by hold reference, with the hold's expiry (null: does not lapse); only holds still holding. */
  holds: Map<string, { held: number; expiresAt: string | null }>;
}

const sign = (direction: TransactionFilter['direction']): number =>
  direction === '+' ? 1 : direction === '-' ? -1 : 0;

function isListed(entry: LedgerEntry, direction: number): boolean {
  return entry.transactionType !== undefined && (direction === 0 || entry.points * direction > 0);
}

/** The first index of `entries` (sorted by id) whose id is over `id`. */
function after(entries: LedgerEntry[], id: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.id <= id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The listed transactions of `entries` (sorted by id) that the filter selects. */
function listed(entries: LedgerEntry[], filter: TransactionFilter): LedgerEntry[] {
  const direction = sign(filter.direction);
  const found: LedgerEntry[] = [];
  const limit = filter.limit ?? Number.POSITIVE_INFINITY;
  for (let i = after(entries, filter.startAfter ?? 0); i < entries.length && found.length < limit; i++) {
    if (isListed(entries[i]!, direction)) found.push({ ...entries[i]! });
  }
  return found;
}

/** Adds `delta` to what the entry's hold holds; a hold that holds nothing is dropped. */
function adjustHold(account: Account, entry: LedgerEntry, delta: number): void {
  if (delta === 0 || entry.holdReference === undefined) return;
  const hold = account.holds.get(entry.holdReference) ?? { held: 0, expiresAt: entry.holdExpiresAt ?? null };
  hold.held += delta;
  if (hold.held === 0) account.holds.delete(entry.holdReference);
  else account.holds.set(entry.holdReference, hold);
}

export function createMemoryLedger(journal: UndoJournal): LedgerTable {
  const all: LedgerEntry[] = [];
  const accounts = new Map<string, Account>();
  const accountOf = (customerId: string): Account => {
    const account = accounts.get(customerId) ?? { entries: [], balance: 0, earned: 0, holds: new Map() };
    accounts.set(customerId, account);
    return account;
  };
  const scope = (filter: TransactionFilter): LedgerEntry[] =>
    filter.customerId === undefined ? all : (accounts.get(filter.customerId)?.entries ?? []);
  return {
    append(entry) {
      const stored = Object.freeze({ ...entry });
      const account = accountOf(entry.customerId);
      const earned = isEarning(entry) ? entry.points : 0;
      account.entries.push(stored);
      all.push(stored);
      account.balance += entry.points;
      account.earned += earned;
      adjustHold(account, entry, entry.held);
      journal(() => {
        account.entries.pop();
        all.pop();
        account.balance -= entry.points;
        account.earned -= earned;
        adjustHold(account, entry, -entry.held);
      });
    },
    entries: (customerId) => (accounts.get(customerId)?.entries ?? []).map((entry) => ({ ...entry })),
    totals(customerId, now) {
      const account = accounts.get(customerId);
      if (!account) return { balance: 0, held: 0, earned: 0 };
      let held = 0;
      for (const hold of account.holds.values()) if (hold.expiresAt === null || hold.expiresAt > now) held += hold.held;
      return { balance: account.balance, held, earned: account.earned };
    },
    nextId: () => (all.at(-1)?.id ?? 0) + 1,
    transactions: (filter) => listed(scope(filter), filter),
    countTransactions: (filter) => listed(scope(filter), { direction: filter.direction }).length,
    clear() {
      all.length = 0;
      accounts.clear();
    },
  };
}

/** The ledger's table and index in the state file (created when missing). */
export const ledgerSchema = [
  'CREATE TABLE IF NOT EXISTS ledger_entry (id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, points INTEGER NOT NULL, held INTEGER NOT NULL, hold_expires_at TEXT, transaction_type TEXT, body TEXT NOT NULL)',
  'CREATE INDEX IF NOT EXISTS ledger_entry_by_customer ON ledger_entry (customer_id, id, points, held, hold_expires_at, transaction_type)',
];

/** Every query the ledger runs, exported so that a test can hold each one to an index. */
export const ledgerQueries = {
  insert:
    'INSERT INTO ledger_entry (id, customer_id, points, held, hold_expires_at, transaction_type, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
  entries: 'SELECT body FROM ledger_entry WHERE customer_id = ? ORDER BY id',
  nextId: 'SELECT COALESCE(MAX(id), 0) + 1 AS id FROM ledger_entry',
  customerTransactions:
    'SELECT body FROM ledger_entry WHERE customer_id = ? AND id > ? AND transaction_type IS NOT NULL AND (? = 0 OR points * ? > 0) ORDER BY id LIMIT ?',
  accountTransactions:
    'SELECT body FROM ledger_entry WHERE id > ? AND transaction_type IS NOT NULL AND (? = 0 OR points * ? > 0) ORDER BY id LIMIT ?',
  customerCount:
    'SELECT COUNT(*) AS count FROM ledger_entry WHERE customer_id = ? AND transaction_type IS NOT NULL AND (? = 0 OR points * ? > 0)',
  accountCount:
    'SELECT COUNT(*) AS count FROM ledger_entry WHERE transaction_type IS NOT NULL AND (? = 0 OR points * ? > 0)',
  clear: 'DELETE FROM ledger_entry',
} as const;

export function createSqliteLedger(db: SqliteDatabase): LedgerTable {
  for (const statement of ledgerSchema) db.exec(statement);
  const q = Object.fromEntries(Object.entries(ledgerQueries).map(([name, sql]) => [name, db.prepare(sql)])) as Record<
    keyof typeof ledgerQueries,
    SqliteStatement
  >;
  const accounts = createSqliteAccounts(db, earning);
  const bodies = (rows: unknown[]): LedgerEntry[] =>
    (rows as { body: string }[]).map((row) => JSON.parse(row.body) as LedgerEntry);
  return {
    append(entry) {
      q.insert.run(
        entry.id,
        entry.customerId,
        entry.points,
        entry.held,
        entry.holdExpiresAt ?? null,
        entry.transactionType ?? null,
        JSON.stringify(entry),
      );
      accounts.add(entry, isEarning(entry) ? entry.points : 0);
    },
    entries: (customerId) => bodies(q.entries.all(customerId)),
    totals: (customerId, now) => accounts.totals(customerId, now),
    nextId: () => (q.nextId.get() as { id: number }).id,
    transactions(filter) {
      const direction = sign(filter.direction);
      const limit = filter.limit ?? -1;
      return filter.customerId === undefined
        ? bodies(q.accountTransactions.all(filter.startAfter ?? 0, direction, direction, limit))
        : bodies(q.customerTransactions.all(filter.customerId, filter.startAfter ?? 0, direction, direction, limit));
    },
    countTransactions(filter) {
      const direction = sign(filter.direction);
      const row =
        filter.customerId === undefined
          ? q.accountCount.get(direction, direction)
          : q.customerCount.get(filter.customerId, direction, direction);
      return (row as { count: number }).count;
    },
    clear() {
      q.clear.run();
      accounts.clear();
    },
  };
}
