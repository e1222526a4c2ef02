// The SQLite ledger's running totals, as the memory ledger keeps them in its accounts: per customer
// the balance and the points earned (ledger_account), and each hold that still holds points with
// its expiry (ledger_hold). Each entry updates them in the statement after its insert, inside the
// same transaction, so they are the sums of the entries whatever is rolled back or killed. Summing a
// customer's entries at every write instead cost time in proportion to the customer's history
// (50 µs at 300 entries, several times per request), so the stand-in slowed down as it ran.
import type { SqliteDatabase, SqliteStatement } from './sqlite-database.ts';

/** What of a ledger entry the totals read (by shape: ledger-table.ts imports this file). */
interface Addition {
  customerId: string;
  points: number;
  held: number;
  holdReference?: string | undefined;
  holdExpiresAt?: string | null | undefined;
}

/** The ledger's LedgerTotals. */
interface Totals {
  balance: number;
  held: number;
  earned: number;
}

export interface LedgerAccounts {
  /** Adds an entry to its customer's totals; `earned` is what it adds to the points earned. */
  add(entry: Addition, earned: number): void;
  totals(customerId: string, now: string): Totals;
  clear(): void;
}

const accountSchema = [
  'CREATE TABLE IF NOT EXISTS ledger_account (customer_id TEXT PRIMARY KEY, balance INTEGER NOT NULL, earned INTEGER NOT NULL) WITHOUT ROWID',
  'CREATE TABLE IF NOT EXISTS ledger_hold (hold_reference TEXT PRIMARY KEY, customer_id TEXT NOT NULL, held INTEGER NOT NULL, expires_at TEXT) WITHOUT ROWID',
  'CREATE INDEX IF NOT EXISTS ledger_hold_by_customer ON ledger_hold (customer_id, expires_at, held)',
];

/** Every query on the totals, exported so that a test can hold each lookup to an index. */
export const accountQueries = {
  addToAccount:
    'INSERT INTO ledger_account (customer_id, balance, earned) VALUES (?, ?, ?) ON CONFLICT (customer_id) DO UPDATE SET balance = balance + excluded.balance, earned = earned + excluded.earned',
  addToHold:
    'INSERT INTO ledger_hold (hold_reference, customer_id, held, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (hold_reference) DO UPDATE SET held = held + excluded.held',
  dropEmptyHold: 'DELETE FROM ledger_hold WHERE hold_reference = ? AND held = 0',
  account: 'SELECT balance, earned FROM ledger_account WHERE customer_id = ?',
  held: 'SELECT COALESCE(SUM(held), 0) AS held FROM ledger_hold WHERE customer_id = ? AND (expires_at IS NULL OR expires_at > ?)',
  clearAccounts: 'DELETE FROM ledger_account',
  clearHolds: 'DELETE FROM ledger_hold',
} as const;

/**
 * The totals summed from the entries, at every open: a file written by a stand-in that kept no
 * totals (an older version, opened again after this one) has entries the totals never saw.
 */
const rebuild = (earning: readonly string[]) => [
  'DELETE FROM ledger_account',
  'DELETE FROM ledger_hold',
  `INSERT INTO ledger_account (customer_id, balance, earned) SELECT customer_id, SUM(points), SUM(CASE WHEN points > 0 AND transaction_type IN (${earning.map((type) => `'${type}'`).join(', ')}) THEN points ELSE 0 END) FROM ledger_entry GROUP BY customer_id`,
  "INSERT INTO ledger_hold (hold_reference, customer_id, held, expires_at) SELECT json_extract(body, '$.holdReference') AS reference, MIN(customer_id), SUM(held), MIN(hold_expires_at) FROM ledger_entry WHERE held <> 0 AND reference IS NOT NULL GROUP BY reference HAVING SUM(held) <> 0",
];

/** The totals' tables (created when missing, filled from the entries); after the ledger's own. */
export function createSqliteAccounts(db: SqliteDatabase, earning: readonly string[]): LedgerAccounts {
  db.exec('SAVEPOINT ledger_accounts');
  try {
    for (const statement of [...accountSchema, ...rebuild(earning)]) db.exec(statement);
  } catch (error) {
    db.exec('ROLLBACK TO ledger_accounts');
    throw error;
  } finally {
    db.exec('RELEASE ledger_accounts');
  }
  const q = Object.fromEntries(Object.entries(accountQueries).map(([name, sql]) => [name, db.prepare(sql)])) as Record<
    keyof typeof accountQueries,
    SqliteStatement
  >;
  return {
    add(entry, earned) {
      q.addToAccount.run(entry.customerId, entry.points, earned);
      if (entry.held === 0 || entry.holdReference === undefined) return;
      q.addToHold.run(entry.holdReference, entry.customerId, entry.held, entry.holdExpiresAt ?? null);
      q.dropEmptyHold.run(entry.holdReference);
    },
    totals(customerId, now) {
      const account = q.account.get(customerId) as { balance: number; earned: number } | undefined;
      if (!account) return { balance: 0, held: 0, earned: 0 };
      const { held } = q.held.get(customerId, now) as { held: number };
      return { balance: account.balance, held, earned: account.earned };
    },
    clear() {
      q.clearAccounts.run();
      q.clearHolds.run();
    },
  };
}
