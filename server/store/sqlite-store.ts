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

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sameJson } from '../coupons/compare.ts';
import { type CouponDelivery, type StoredCoupon, toStoredCoupon } from '../coupons/delivery.ts';
import { discountKind } from '../coupons/discount.ts';
import { migrations } from './sqlite-migrations.ts';
import type { CouponStore, CreateResult } from './store.ts';

export type Synchronous = 'full' | 'normal';

export interface SqliteStoreOptions {
  /** The database file, created with its directory when missing; `:memory:` for a throw-away store. */
  file: string;
  /** See the header of this file. Default `normal`. */
  synchronous?: Synchronous;
}

/** A failed write keeps readiness failing for this long without even trying; after it, a probe write decides. */
export const writeErrorHoldMs = 5_000;

interface Pending {
  delivery: CouponDelivery;
  resolve(result: CreateResult): void;
  reject(error: unknown): void;
}

interface Row {
  delivery: string;
  created_at: string;
}

export class SqliteStore implements CouponStore {
  readonly name = 'sqlite';
  readonly file: string;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<unknown[]>;
  private readonly select: Database.Statement<[string], Row>;
  private readonly writeBatch: (deliveries: CouponDelivery[]) => CreateResult[];
  private readonly probe: Database.Statement<[string]>;
  /** The last write that failed, until a write succeeds again. */
  private writeFailure: { error: unknown; at: number } | undefined;
  private queue: Pending[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(options: SqliteStoreOptions) {
    this.file = options.file;
    if (options.file !== ':memory:') mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    this.db = new Database(options.file);
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
    this.writeBatch = this.db.transaction((deliveries: CouponDelivery[]) => {
      const createdAt = new Date().toISOString();
      return deliveries.map((delivery) => this.writeOne(delivery, createdAt));
    }).immediate;
  }

  create(delivery: CouponDelivery): Promise<CreateResult> {
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
      return Promise.resolve(row && toStoredCoupon(JSON.parse(row.delivery) as CouponDelivery, row.created_at));
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
    const failure = this.writeFailure;
    if (failure && Date.now() - failure.at < writeErrorHoldMs) return Promise.reject(failure.error);
    try {
      this.probe.run(new Date().toISOString());
      this.writeFailure = undefined;
      return Promise.resolve();
    } catch (error) {
      this.writeFailure = { error, at: Date.now() };
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
      this.writeFailure = { error, at: Date.now() };
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One delivery that cannot be written must not fail the others: retry each on its own.
      for (const pending of batch) {
        try {
          pending.resolve(this.writeBatch([pending.delivery])[0]!);
          this.writeFailure = undefined;
        } catch (single) {
          this.writeFailure = { error: single, at: Date.now() };
          pending.reject(single);
        }
      }
      return;
    }
    this.writeFailure = undefined;
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(results[i]!);
  };

  private writeOne(delivery: CouponDelivery, createdAt: string): CreateResult {
    const { code } = delivery;
    const inserted = this.insert.run(
      code,
      delivery.playerUniqueId,
      delivery.couponType,
      discountKind(delivery.couponType),
      delivery.value,
      JSON.stringify(delivery),
      createdAt,
    );
    if (inserted.changes === 1) return { outcome: 'created', coupon: toStoredCoupon(delivery, createdAt) };
    const row = this.select.get(code)!;
    const stored = JSON.parse(row.delivery) as CouponDelivery;
    if (sameJson(stored, delivery)) return { outcome: 'duplicate', coupon: toStoredCoupon(stored, row.created_at) };
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
