// The embedded store: one SQLite file through better-sqlite3, in WAL mode.
//
// Group commit: create() queues the delivery and the queue is written once per turn of the event
// loop, all of it in one transaction with one fsync, and each caller's promise resolves only after
// that COMMIT. Under load the cost of durability is shared by every request that arrived in the same
// turn; idle, a lone request is committed on the next turn. Rows are decided in order inside the
// transaction, so duplicates of one code in one batch see each other: exactly one row per code.
//
// Durability: `synchronous = NORMAL` (default) does not fsync at each commit, but the committed WAL
// is in the OS's hands, so a 200 survives kill -9 of the process at any moment (tested); an OS crash
// or power cut can lose the last commits. `full` fsyncs the WAL at each commit and survives those too.
//
// better-sqlite3 is an optional dependency (it compiles native code where no prebuilt binary fits),
// loaded by SqliteStore.open, not when this module is imported: the server's module can be imported
// without it, and only starting a SQLite store needs it.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type Database from 'better-sqlite3';
import { type CodedDelivery, type StoredCoupon, toStoredCoupon } from '../coupons/delivery.ts';
import { discountKind } from '../coupons/discount.ts';
import { loadDriver } from './load-driver.ts';
import { migrations } from './sqlite-migrations.ts';
import type { CouponStore, CreateResult } from './store.ts';

export type Synchronous = 'full' | 'normal';

export interface SqliteStoreOptions {
  /** The database file, created with its directory when missing; `:memory:` for a throw-away store. */
  file: string;
  /** See the header of this file. Default `normal`. */
  synchronous?: Synchronous;
}

interface Pending {
  delivery: CodedDelivery;
  resolve(result: CreateResult): void;
  reject(error: unknown): void;
}

interface Row {
  delivery: string;
  created_at: string;
}

/** better-sqlite3 is not installed; the message says how to install it. */
export class SqliteDriverMissingError extends Error {
  override readonly name = 'SqliteDriverMissingError';
  constructor(cause: unknown) {
    super(
      'The reference server stores coupons in SQLite through better-sqlite3, an optional dependency of ' +
        'gameball-coupon-kit that is not installed (installs with --omit=optional leave it out, and npm drops it ' +
        'when its native build fails). Install it next to the kit with `npm install better-sqlite3@^12`; it ' +
        'downloads a prebuilt binary for common platforms and otherwise compiles with python3, make and a C++ compiler.',
      { cause },
    );
  }
}

export class SqliteStore implements CouponStore {
  readonly name = 'sqlite';
  readonly file: string;
  readonly location: string;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<unknown[]>;
  private readonly select: Database.Statement<[string], Row>;
  private readonly writeBatch: (deliveries: CodedDelivery[]) => CreateResult[];
  private readonly probe: Database.Statement<[string]>;
  private queue: Pending[] = [];
  private flushScheduled = false;
  private closed = false;

  /** Opens the file (creating it and its folder, migrating its schema); loads better-sqlite3 on first use. */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const driver = await loadDriver(
      async () => (await import('better-sqlite3')).default,
      (cause) => new SqliteDriverMissingError(cause),
    );
    return new SqliteStore(options, driver);
  }

  private constructor(options: SqliteStoreOptions, Driver: typeof Database) {
    this.file = options.file;
    this.location = `the database ${options.file}`;
    if (options.file !== ':memory:') mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    this.db = new Driver(options.file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      this.db.pragma('busy_timeout = 5000');
      migrate(this.db, options.file);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.insert = this.db.prepare(
      `INSERT INTO coupons (code, player_unique_id, coupon_type, discount_kind, value, delivery, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
    );
    this.select = this.db.prepare('SELECT delivery, created_at FROM coupons WHERE code = ?');
    this.probe = this.db.prepare(
      `INSERT INTO write_probe (id, written_at) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at`,
    );
    this.writeBatch = this.db.transaction((deliveries: CodedDelivery[]) => {
      const createdAt = new Date().toISOString();
      return deliveries.map((delivery) => this.writeOne(delivery, createdAt));
    }).immediate;
  }

  create(delivery: CodedDelivery): Promise<CreateResult> {
    if (this.closed) return Promise.reject(new Error('The coupon store is closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ delivery, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  get(code: string): Promise<StoredCoupon | undefined> {
    try {
      const row = this.select.get(code);
      return Promise.resolve(row && toStoredCoupon(JSON.parse(row.delivery) as CodedDelivery, row.created_at));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  ping(): Promise<void> {
    try {
      if (!this.db.open) throw new Error('The coupon store is closed.');
      this.db.prepare('SELECT 1').get();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The coupon store is closed.'));
    // A write each time it is asked, so it answers for now: the first /readyz after space is freed is 200.
    try {
      this.probe.run(new Date().toISOString());
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.flush();
      this.db.close();
    }
    return Promise.resolve();
  }

  /** Writes the queued deliveries in one transaction and settles each caller after the COMMIT. */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let results: CreateResult[];
    try {
      results = this.writeBatch(batch.map((p) => p.delivery));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One delivery that cannot be written must not fail the others: retry each on its own.
      for (const pending of batch) {
        try {
          pending.resolve(this.writeBatch([pending.delivery])[0]!);
        } catch (single) {
          pending.reject(single);
        }
      }
      return;
    }
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(results[i]!);
  };

  private writeOne(delivery: CodedDelivery, createdAt: string): CreateResult {
    const { code } = delivery;
    const text = JSON.stringify(delivery);
    const inserted = this.insert.run(
      code,
      delivery.playerUniqueId,
      delivery.couponType,
      discountKind(delivery.couponType),
      delivery.value,
      text,
      createdAt,
    );
    if (inserted.changes === 1) return { outcome: 'created', coupon: toStoredCoupon(delivery, createdAt) };
    const row = this.select.get(code)!;
    const stored = JSON.parse(row.delivery) as CodedDelivery;
    // Compared as stored: a JSON round trip makes -0 the 0 the first copy was saved as.
    if (isDeepStrictEqual(stored, JSON.parse(text)))
      return { outcome: 'duplicate', coupon: toStoredCoupon(stored, row.created_at) };
    return { outcome: 'conflict', stored };
  }
}

function migrate(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)!.version;
  if (current > latest) {
    throw new Error(
      `The database ${file} has schema version ${current}, newer than this server knows (${latest}); run a newer server or another file.`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
