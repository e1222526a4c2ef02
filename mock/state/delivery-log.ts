// The log of the stand-in's calls to the merchant (GET /__gb/deliveries), kept in the state store
// beside the records (so `--state FILE` keeps it across restarts) but apart from them: it is
// append-only, bounded to its newest `size` entries, and read a page at a time in the order it was
// written. Each entry carries its sequence number; a page's cursor is the last number it holds.
import type { DeliveryRecord } from '../delivery-record.ts';

export interface DeliveryPageQuery {
  customerId?: string;
  /** Only entries written after the one with this sequence number (a page's cursor). */
  after?: number;
  limit: number;
}

export interface DeliveryPage {
  deliveries: DeliveryRecord[];
  /** The sequence number of the page's last entry when more follow it; undefined on the last page. */
  next?: number;
}

export interface DeliveryLog {
  append(record: DeliveryRecord): void;
  page(query: DeliveryPageQuery): DeliveryPage;
  clear(): void;
}

interface Entry {
  seq: number;
  customerId: string;
  /** The record as JSON: a copy, as the store's records are, and compact. */
  text: string;
}

export function createMemoryDeliveryLog(size: number): DeliveryLog {
  const entries: Entry[] = [];
  let seq = 0;
  return {
    append: (record) => {
      entries.push({ seq: ++seq, customerId: record.customerId, text: JSON.stringify(record) });
      while (entries.length > size) entries.shift();
    },
    page: ({ customerId, after = 0, limit }) => {
      const matching: Entry[] = [];
      for (const entry of entries) {
        if (entry.seq <= after || (customerId !== undefined && entry.customerId !== customerId)) continue;
        matching.push(entry);
        if (matching.length > limit) break;
      }
      return pageOf(matching, limit);
    },
    clear: () => {
      entries.length = 0;
    },
  };
}

/**
 * What the log uses of a better-sqlite3 database, written here so that the declarations the package
 * ships do not name the optional package's types.
 */
interface SqliteDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): {
    run(...params: unknown[]): { lastInsertRowid: number | bigint };
    all(...params: unknown[]): unknown[];
  };
}

/** The log in the state file's own table; sequence numbers keep growing across a reset. */
export function createSqliteDeliveryLog(db: SqliteDatabase, size: number): DeliveryLog {
  db.exec(
    'CREATE TABLE IF NOT EXISTS gameball_deliveries (seq INTEGER PRIMARY KEY AUTOINCREMENT, customer_id TEXT NOT NULL, record TEXT NOT NULL); ' +
      'CREATE INDEX IF NOT EXISTS gameball_deliveries_customer ON gameball_deliveries (customer_id, seq)',
  );
  const insert = db.prepare('INSERT INTO gameball_deliveries (customer_id, record) VALUES (?, ?)');
  const trim = db.prepare('DELETE FROM gameball_deliveries WHERE seq <= ?');
  const all = db.prepare(
    'SELECT seq, customer_id AS customerId, record AS text FROM gameball_deliveries WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const ofCustomer = db.prepare(
    'SELECT seq, customer_id AS customerId, record AS text FROM gameball_deliveries WHERE customer_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  const removeAll = db.prepare('DELETE FROM gameball_deliveries');
  return {
    append: (record) => {
      const { lastInsertRowid } = insert.run(record.customerId, JSON.stringify(record));
      // Entries are only ever removed from the oldest end, so the newest `size` are those above this.
      trim.run(Number(lastInsertRowid) - size);
    },
    page: ({ customerId, after = 0, limit }) => {
      const rows = customerId === undefined ? all.all(after, limit + 1) : ofCustomer.all(customerId, after, limit + 1);
      return pageOf(rows as Entry[], limit);
    },
    clear: () => void removeAll.run(),
  };
}

/** At most `limit` of the entries found (up to limit + 1 were read, to know whether more follow). */
function pageOf(found: Entry[], limit: number): DeliveryPage {
  const shown = found.slice(0, limit);
  return {
    deliveries: shown.map((entry) => JSON.parse(entry.text) as DeliveryRecord),
    ...(found.length > limit ? { next: shown[shown.length - 1]!.seq } : {}),
  };
}
