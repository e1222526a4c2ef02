// Where the stand-in keeps Gameball's state: records of a few kinds (the coupon configuration,
// customers, coupons, locks, transactions, orders), each a JSON document under a key. In memory by
// default; `--state FILE` keeps the same records in SQLite so a restart finds them again. Both
// stores hand out copies, so a caller can never change a stored record by accident.
import { createMemoryDeliveryLog, createSqliteDeliveryLog, type DeliveryLog } from './delivery-log.ts';

type RecordKind = 'configuration' | 'customer' | 'coupon' | 'lock' | 'transaction' | 'order' | 'counter';

export interface StateStore {
  get<T>(kind: RecordKind, key: string): T | undefined;
  put(kind: RecordKind, key: string, value: unknown): void;
  delete(kind: RecordKind, key: string): void;
  list<T>(kind: RecordKind): T[];
  /** Runs `work` so that its writes land together or not at all. */
  transaction<T>(work: () => T): T;
  clear(): void;
  close(): void;
  /** Where the state lives, for the start-up line: "memory" or the file. */
  readonly location: string;
  /** The log of calls to the merchant, apart from the records (delivery-log.ts); clear() leaves it. */
  readonly deliveries: DeliveryLog;
}

/** How many entries the delivery log keeps when the caller does not say (the newest). */
const defaultDeliveryLogSize = 1000;

export function createMemoryStore(deliveryLogSize = defaultDeliveryLogSize): StateStore {
  const kinds = new Map<RecordKind, Map<string, string>>();
  const table = (kind: RecordKind): Map<string, string> => {
    let found = kinds.get(kind);
    if (!found) {
      found = new Map();
      kinds.set(kind, found);
    }
    return found;
  };
  return {
    location: 'memory',
    deliveries: createMemoryDeliveryLog(deliveryLogSize),
    get: <T>(kind: RecordKind, key: string) => {
      const text = table(kind).get(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    },
    put: (kind, key, value) => void table(kind).set(key, JSON.stringify(value)),
    delete: (kind, key) => void table(kind).delete(key),
    list: <T>(kind: RecordKind) => [...table(kind).values()].map((text) => JSON.parse(text) as T),
    // Node runs the synchronous work to the end before anything else: nothing can interleave.
    transaction: (work) => work(),
    clear: () => kinds.clear(),
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
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(
      'CREATE TABLE IF NOT EXISTS gameball_state (kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID',
    );
  } catch (error) {
    throw new StateStoreError(
      `Cannot open the state file ${file} (${(error as Error).message}); give --state a writable path to an SQLite file (it is created if missing).`,
    );
  }
  const select = db.prepare<[string, string], { value: string }>(
    'SELECT value FROM gameball_state WHERE kind = ? AND key = ?',
  );
  const upsert = db.prepare(
    'INSERT INTO gameball_state (kind, key, value) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM gameball_state WHERE kind = ? AND key = ?');
  const selectAll = db.prepare<[string], { value: string }>('SELECT value FROM gameball_state WHERE kind = ?');
  const removeAll = db.prepare('DELETE FROM gameball_state');
  return {
    location: file,
    deliveries: createSqliteDeliveryLog(db, deliveryLogSize),
    get: <T>(kind: RecordKind, key: string) => {
      const row = select.get(kind, key);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    put: (kind, key, value) => void upsert.run(kind, key, JSON.stringify(value)),
    delete: (kind, key) => void remove.run(kind, key),
    list: <T>(kind: RecordKind) => selectAll.all(kind).map((row) => JSON.parse(row.value) as T),
    transaction: (work) => db.transaction(work)(),
    clear: () => void removeAll.run(),
    close: () => db.close(),
  };
}

/** The state store cannot be used; the message is meant for a person. */
export class StateStoreError extends Error {
  override name = 'StateStoreError';
}
