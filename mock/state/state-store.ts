// Where the stand-in keeps Gameball's state: records of a few kinds (the coupon configuration,
// customers, coupons, locks, holds, transactions, orders, the codes sent to a merchant), each a JSON
// document under a key, the points ledger (ledger-table.ts) and the log of calls to the merchant
// (delivery-log.ts). In memory by default; `--state FILE` keeps the same in SQLite so a restart finds them again. Both stores hand out copies, so a caller
// can never change a stored record by accident, and both index records by their `customerId`, so
// a customer's records are found without reading every record of the kind.
import { createMemoryDeliveryLog, createSqliteDeliveryLog, type DeliveryLog } from './delivery-log.ts';
import { createGroupCommit } from './group-commit.ts';
import { createMemoryLedger, createSqliteLedger, type LedgerTable } from './ledger-table.ts';
import { fileInUse, forgetOwner, lockStateFile, recordOwner } from './state-file-owner.ts';

type RecordKind =
  | 'configuration'
  | 'customer'
  | 'coupon'
  | 'lock'
  | 'hold'
  | 'transaction'
  | 'order'
  | 'counter'
  | 'pending-redemption'
  | 'issued-code';

export interface StateStore {
  get<T>(kind: RecordKind, key: string): T | undefined;
  put(kind: RecordKind, key: string, value: unknown): void;
  delete(kind: RecordKind, key: string): void;
  list<T>(kind: RecordKind): T[];
  /** The records of a kind whose `customerId` is this customer, from an index. */
  listOwned<T>(kind: RecordKind, customerId: string): T[];
  /** The points ledger. */
  readonly ledger: LedgerTable;
  /** Runs `work` so that its writes land together or not at all (a throw undoes them). */
  transaction<T>(work: () => T): T;
  /**
   * Resolves once every write made so far is durable (at once in memory; with a state file, when
   * this turn's group commit is done: group-commit.ts). Await it before anything leaves the process.
   */
  committed(): Promise<void>;
  /** Forgets everything but the codes already sent to a merchant, which are never issued again. */
  clear(): void;
  close(): void;
  /** Where the state lives, for the start-up line: "memory" or the file. */
  readonly location: string;
  /** The log of calls to the merchant, apart from the records (delivery-log.ts); clear() leaves it. */
  readonly deliveries: DeliveryLog;
}

/** How many entries the delivery log keeps when the caller does not say (the newest). */
const defaultDeliveryLogSize = 1000;

const settled = Promise.resolve();

/** The kind whose records outlive a reset. */
const keptByClear: RecordKind = 'issued-code';

const ownerOf = (text: string): string | undefined => {
  const customerId = (JSON.parse(text) as { customerId?: unknown }).customerId;
  return typeof customerId === 'string' ? customerId : undefined;
};

/** A memory index of records by their customer: kind -> customerId -> keys. */
function createOwnerIndex() {
  const owned = new Map<RecordKind, Map<string, Set<string>>>();
  return {
    keys: (kind: RecordKind, customerId: string): Set<string> => owned.get(kind)?.get(customerId) ?? new Set(),
    change(kind: RecordKind, key: string, text: string | undefined, add: boolean): void {
      const owner = text === undefined ? undefined : ownerOf(text);
      if (owner === undefined) return;
      const byOwner = owned.get(kind) ?? new Map<string, Set<string>>();
      owned.set(kind, byOwner);
      const keys = byOwner.get(owner) ?? new Set<string>();
      byOwner.set(owner, keys);
      if (add) keys.add(key);
      else keys.delete(key);
    },
    clear: () => owned.clear(),
  };
}

export function createMemoryStore(deliveryLogSize = defaultDeliveryLogSize): StateStore {
  const kinds = new Map<RecordKind, Map<string, string>>();
  const index = createOwnerIndex();
  // Undo steps of the open transaction, newest last; undefined outside a transaction.
  let undo: (() => void)[] | undefined;
  const journal = (step: () => void): void => void undo?.push(step);
  const table = (kind: RecordKind): Map<string, string> => kinds.get(kind) ?? kinds.set(kind, new Map()).get(kind)!;
  const write = (kind: RecordKind, key: string, text: string | undefined): void => {
    const before = table(kind).get(key);
    index.change(kind, key, before, false);
    if (text === undefined) table(kind).delete(key);
    else table(kind).set(key, text);
    index.change(kind, key, text, true);
    journal(() => write(kind, key, before));
  };
  const ledger = createMemoryLedger(journal);
  return {
    location: 'memory',
    deliveries: createMemoryDeliveryLog(deliveryLogSize),
    ledger,
    get: <T>(kind: RecordKind, key: string) => {
      const text = table(kind).get(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    },
    put: (kind, key, value) => write(kind, key, JSON.stringify(value)),
    delete: (kind, key) => write(kind, key, undefined),
    list: <T>(kind: RecordKind) => [...table(kind).values()].map((text) => JSON.parse(text) as T),
    listOwned: <T>(kind: RecordKind, customerId: string) =>
      [...index.keys(kind, customerId)].map((key) => JSON.parse(table(kind).get(key)!) as T),
    // Node runs the synchronous work to the end before anything else: nothing can interleave. A
    // throw undoes the writes made so far (back to where a nested transaction began).
    transaction: (work) => {
      const outer = undo;
      const steps: (() => void)[] = [];
      undo = steps;
      try {
        const result = work();
        outer?.push(...steps);
        return result;
      } catch (error) {
        undo = undefined;
        for (const step of steps.reverse()) step();
        throw error;
      } finally {
        undo = outer;
      }
    },
    committed: () => settled,
    clear: () => {
      for (const kind of kinds.keys()) if (kind !== keptByClear) kinds.delete(kind);
      index.clear();
      for (const [key, text] of table(keptByClear)) index.change(keptByClear, key, text, true);
      ledger.clear();
    },
    close: () => undefined,
  };
}

/**
 * The SQLite store. better-sqlite3 is an optional, native dependency, so it is loaded only here,
 * when a state file is asked for.
 */
export async function createSqliteStore(file: string, deliveryLogSize = defaultDeliveryLogSize): Promise<StateStore> {
  let Database: typeof import('better-sqlite3');
  try {
    Database = (await import('better-sqlite3')).default;
  } catch (error) {
    throw new StateStoreError(
      `--state ${file} keeps the stand-in's state in SQLite, which needs the optional native package better-sqlite3, and it could not be loaded (${(error as Error).message}). Install it with "npm install better-sqlite3" (it needs a C++ toolchain where no prebuilt binary exists), or leave out --state to keep the state in memory.`,
    );
  }
  let db: import('better-sqlite3').Database;
  try {
    // No waiting on a lock: the only other holder would be another process, which is refused.
    db = new Database(file, { timeout: 0 });
  } catch (error) {
    throw cannotOpen(file, error);
  }
  try {
    lockStateFile(db);
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new StateStoreError(fileInUse(file));
    throw cannotOpen(file, error);
  }
  try {
    // A commit is in the WAL, in the operating system's hands, once it returns: it survives kill -9
    // of the process (tested), not a power cut, which is what a stand-in needs; FULL would fsync it.
    db.pragma('synchronous = NORMAL');
    // Each request's transaction is a savepoint inside the turn's (group-commit.ts), which journals
    // the pages it changes so that it can be undone alone: in memory, not in a temporary file that a
    // busy turn's journal spilled to, two writes per page.
    db.pragma('temp_store = MEMORY');
    // A checkpoint copies every page changed since the last one back into the file and fsyncs it,
    // within some request's commit. The stand-in's writes land on pages all over its tables, so
    // SQLite's default of one per 1,000 WAL pages (4 MB) copied nearly every page written; one per
    // 10,000 (a WAL of at most 40 MB) copies a page rewritten meanwhile once, and a tenth as often.
    db.pragma('wal_autocheckpoint = 10000');
    for (const statement of stateSchema) db.exec(statement);
  } catch (error) {
    db.close();
    throw cannotOpen(file, error);
  }
  recordOwner(file);
  try {
    // The ledger's totals are summed from its entries here: a damaged entry fails the open cleanly.
    return sqliteStore(db, file, deliveryLogSize);
  } catch (error) {
    db.close();
    forgetOwner(file);
    throw cannotOpen(file, error);
  }
}

/** The records' table and its index by customer (created when missing). */
const stateSchema = [
  'CREATE TABLE IF NOT EXISTS gameball_state (kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID',
  "CREATE INDEX IF NOT EXISTS gameball_state_by_customer ON gameball_state (kind, json_extract(value, '$.customerId'))",
];

/** Every query on the records, exported so that a test can hold each lookup to an index. */
export const stateQueries = {
  select: 'SELECT value FROM gameball_state WHERE kind = ? AND key = ?',
  upsert:
    'INSERT INTO gameball_state (kind, key, value) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value',
  remove: 'DELETE FROM gameball_state WHERE kind = ? AND key = ?',
  selectKind: 'SELECT value FROM gameball_state WHERE kind = ?',
  // The planner would rather walk the primary key's kind prefix; the index by customer is the point.
  selectOwned:
    "SELECT value FROM gameball_state INDEXED BY gameball_state_by_customer WHERE kind = ? AND json_extract(value, '$.customerId') = ?",
  clear: 'DELETE FROM gameball_state WHERE kind <> ?',
} as const;

function sqliteStore(db: import('better-sqlite3').Database, file: string, deliveryLogSize: number): StateStore {
  const q = Object.fromEntries(Object.entries(stateQueries).map(([name, sql]) => [name, db.prepare(sql)])) as Record<
    keyof typeof stateQueries,
    import('better-sqlite3').Statement
  >;
  const values = <T>(rows: unknown[]): T[] => (rows as { value: string }[]).map((row) => JSON.parse(row.value) as T);
  const batch = createGroupCommit(db);
  // Every write opens the turn's transaction first; `inBatch` wraps a write method to do so.
  const inBatch =
    <A extends unknown[], R>(write: (...args: A) => R) =>
    (...args: A): R => {
      batch.open();
      return write(...args);
    };
  // One transaction function, made once: inside the turn's transaction it runs as a savepoint.
  const run = db.transaction(<T>(work: () => T): T => work());
  const ledger = createSqliteLedger(db);
  const deliveries = createSqliteDeliveryLog(db, deliveryLogSize);
  const transaction = inBatch(<T>(work: () => T): T => run(work) as T);
  return {
    location: file,
    deliveries: { ...deliveries, append: inBatch(deliveries.append), clear: inBatch(deliveries.clear) },
    ledger: { ...ledger, append: inBatch(ledger.append), clear: inBatch(ledger.clear) },
    get: <T>(kind: RecordKind, key: string) => {
      const row = q.select.get(kind, key) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    put: inBatch((kind, key, value) => void q.upsert.run(kind, key, JSON.stringify(value))),
    delete: inBatch((kind, key) => void q.remove.run(kind, key)),
    list: <T>(kind: RecordKind) => values<T>(q.selectKind.all(kind)),
    listOwned: <T>(kind: RecordKind, customerId: string) => values<T>(q.selectOwned.all(kind, customerId)),
    transaction,
    committed: batch.committed,
    clear: () =>
      transaction(() => {
        q.clear.run(keptByClear);
        ledger.clear();
      }),
    close: () => {
      if (!db.open) return;
      batch.flush();
      db.close();
      forgetOwner(file);
    },
  };
}

function cannotOpen(file: string, error: unknown): StateStoreError {
  return new StateStoreError(
    `Cannot open the state file ${file} (${(error as Error).message}); give --state a writable path to an SQLite file (it is created if missing).`,
  );
}

/** The state store cannot be used; the message is meant for a person. */
export class StateStoreError extends Error {
  override name = 'StateStoreError';
}
