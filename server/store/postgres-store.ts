// The shared store: one PostgreSQL database through `pg`, for any number of server instances.
//
// The database decides every outcome. `code` has a unique key, and a batch is one
// `INSERT ... ON CONFLICT (code) DO NOTHING RETURNING code`: a returned code was created by this
// statement; for the others a second statement reads the row that holds the code (committed by then:
// under READ COMMITTED an insert that meets an uncommitted row with its key waits for that row's
// transaction), and comparing the two tells a duplicate (200, the stored coupon) from a conflict
// (409). Nothing is read before it is written, so instances racing on one code get one row.
//
// Group commit: create() queues the delivery and the queue is written once per turn of the event
// loop as one multi-row insert (write-batcher.ts), one commit per batch, two batches at a time (what
// arrives meanwhile joins the next); the other pooled connections serve lookups and health checks. Each caller's promise resolves after its batch committed, so a 200 survives
// kill -9 of the instance (and, with PostgreSQL's default synchronous_commit, of the database).
// Within a batch the first delivery of a code is the one offered; the others are judged against
// the row that wins. Rows are inserted in code order, so concurrent batches lock keys in one order
// and cannot deadlock.
//
// `pg` is loaded by PostgresStore.open, not when this module is imported (see load-driver.ts).
import { isDeepStrictEqual } from 'node:util';
import type { Pool, PoolConfig, QueryConfig } from 'pg';
import { type CodedDelivery, type StoredCoupon, toStoredCoupon } from '../coupons/delivery.ts';
import { discountKind } from '../coupons/discount.ts';
import { ServerOptionError } from '../option-error.ts';
import { loadDriver } from './load-driver.ts';
import { migrate } from './postgres-migrations.ts';
import { type PostgresTarget, startupProblem, targetOf } from './postgres-target.ts';
import type { CouponStore, CreateResult } from './store.ts';
import { WriteBatcher } from './write-batcher.ts';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database`; PG* environment variables fill in what it leaves out. */
  url: string;
  /** Connections this instance keeps open (two of them at most write batches at once). Default 10. */
  poolSize?: number;
}

/** How long connecting, /healthz and /readyz may wait for the database before they count as failed. */
const answerWithinMs = 5_000;
/** The most deliveries in one INSERT. */
const maxBatch = 500;
/**
 * Batches written at once: one commits while the next gathers. More splits the same requests into
 * smaller batches that cost the database more per row (bench:server --db postgres, 2 CPUs: ratio to
 * SQLite 0.64 with two, 0.55 with ten, p99 14 ms against 66 ms).
 */
const batchesInFlight = 2;

interface Row {
  code: string;
  delivery: CodedDelivery;
  created_at: Date;
}

const insertRows = {
  name: 'gb-coupon-insert',
  text: `INSERT INTO coupons (code, player_unique_id, coupon_type, discount_kind, value, delivery)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::json[])
         ON CONFLICT (code) DO NOTHING
         RETURNING code, created_at`,
};
const selectRows = {
  name: 'gb-coupon-select-many',
  text: 'SELECT code, delivery, created_at FROM coupons WHERE code = ANY($1::text[])',
};
const selectRow = { name: 'gb-coupon-select', text: 'SELECT code, delivery, created_at FROM coupons WHERE code = $1' };
/** pg honours a per-query `query_timeout`, which its types leave out. */
type TimedQuery = QueryConfig & { query_timeout: number };

const ping: TimedQuery = { text: 'SELECT 1', query_timeout: answerWithinMs };
const probeWrite: TimedQuery = {
  name: 'gb-coupon-probe',
  text: `INSERT INTO write_probe (id, written_at) VALUES (1, now())
         ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at`,
  query_timeout: answerWithinMs,
};

export class PostgresStore implements CouponStore {
  readonly name = 'postgres';
  readonly location: string;
  private readonly batcher: WriteBatcher<CodedDelivery, CreateResult>;
  private closed = false;

  /** Connects, migrates the schema (safe when several instances start at once) and checks the role's privileges. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pg = await loadDriver(
      async () => (await import('pg')).default,
      (cause) =>
        new ServerOptionError(
          'The PostgreSQL store needs the package pg, which is not installed next to gameball-coupon-kit; install it with `npm install pg@^8`.',
          { cause },
        ),
    );
    const poolSize = options.poolSize ?? 10;
    const config: PoolConfig = {
      connectionString: options.url,
      max: poolSize,
      connectionTimeoutMillis: answerWithinMs,
      keepAlive: true,
      application_name: 'gb-coupon-server',
    };
    const target = targetOf(new pg.Client(config));
    const pool = new pg.Pool(config);
    // An idle connection that the database closes is dropped by the pool; the next query opens another.
    pool.on('error', () => undefined);
    try {
      await prepare(pool, target);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw startupProblem(error, target);
    }
    return new PostgresStore(pool, target, poolSize);
  }

  private constructor(
    private readonly pool: Pool,
    target: PostgresTarget,
    poolSize: number,
  ) {
    this.location = `the PostgreSQL ${target.text}`;
    this.batcher = new WriteBatcher(this.writeBatch, Math.min(batchesInFlight, poolSize), maxBatch);
  }

  create(delivery: CodedDelivery): Promise<CreateResult> {
    if (this.closed) return Promise.reject(new Error('The coupon store is closed.'));
    return this.batcher.add(delivery);
  }

  async get(code: string): Promise<StoredCoupon | undefined> {
    const row = (await this.pool.query<Row>({ ...selectRow, values: [code] })).rows[0];
    return row && toStoredCoupon(row.delivery, row.created_at.toISOString());
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('The coupon store is closed.');
    await this.pool.query(ping);
  }

  async ready(): Promise<void> {
    if (this.closed) throw new Error('The coupon store is closed.');
    // A write each time it is asked, so it answers for now: the first /readyz after the role may
    // write again is 200.
    await this.pool.query(probeWrite);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.batcher.drain();
    await this.pool.end();
  }

  /** One batch: insert what is new, read what was not, judge each delivery against the row that holds its code. */
  private readonly writeBatch = async (deliveries: CodedDelivery[]): Promise<(CreateResult | Error)[]> => {
    const offered = new Map<string, CodedDelivery>();
    for (const delivery of deliveries) if (!offered.has(delivery.code)) offered.set(delivery.code, delivery);
    const created = await this.insert([...offered.keys()].sort().map((code) => offered.get(code)!));
    const taken = [...offered.keys()].filter((code) => !created.has(code));
    const existing = taken.length > 0 ? await this.select(taken) : new Map<string, Row>();
    return deliveries.map((delivery) => judge(delivery, offered, created, existing));
  };

  /** Inserts the deliveries whose code is free; the codes it created, with their createdAt. */
  private async insert(deliveries: CodedDelivery[]): Promise<Map<string, string>> {
    const columns: unknown[][] = [[], [], [], [], [], []];
    for (const delivery of deliveries) {
      columns[0]!.push(delivery.code);
      // A text column cannot hold U+0000; the delivery column (JSON) keeps the id exactly as sent.
      columns[1]!.push(delivery.playerUniqueId.replaceAll('\u0000', ''));
      columns[2]!.push(delivery.couponType);
      columns[3]!.push(discountKind(delivery.couponType));
      columns[4]!.push(delivery.value);
      columns[5]!.push(JSON.stringify(delivery));
    }
    const result = await this.pool.query<{ code: string; created_at: Date }>({ ...insertRows, values: columns });
    return new Map(result.rows.map((row) => [row.code, row.created_at.toISOString()]));
  }

  private async select(codes: string[]): Promise<Map<string, Row>> {
    const result = await this.pool.query<Row>({ ...selectRows, values: [codes] });
    return new Map(result.rows.map((row) => [row.code, row]));
  }
}

/** Created, duplicate or conflict for one delivery of the batch. */
function judge(
  delivery: CodedDelivery,
  offered: Map<string, CodedDelivery>,
  created: Map<string, string>,
  existing: Map<string, Row>,
): CreateResult | Error {
  const { code } = delivery;
  const createdAt = created.get(code);
  if (createdAt !== undefined && offered.get(code) === delivery) {
    return { outcome: 'created', coupon: toStoredCoupon(delivery, createdAt) };
  }
  const row = existing.get(code);
  if (createdAt === undefined && !row) return new Error(`The coupon ${code} was neither stored nor found.`);
  // Compared as stored: a JSON round trip makes -0 the 0 the first copy was saved as.
  const stored = row ? row.delivery : (JSON.parse(JSON.stringify(offered.get(code))) as CodedDelivery);
  if (!isDeepStrictEqual(stored, JSON.parse(JSON.stringify(delivery)))) return { outcome: 'conflict', stored };
  return { outcome: 'duplicate', coupon: toStoredCoupon(stored, createdAt ?? row!.created_at.toISOString()) };
}

/** Migrates the schema and checks that the role may read and write the tables it uses. */
async function prepare(pool: Pool, target: PostgresTarget): Promise<void> {
  const client = await pool.connect();
  try {
    await migrate(client, `the PostgreSQL ${target.text}`);
    const { rows } = await client.query<{ coupons: boolean; probe: boolean }>(
      // Several privileges in one has_table_privilege call mean "any of them": each is asked alone.
      `SELECT has_table_privilege('coupons', 'SELECT') AND has_table_privilege('coupons', 'INSERT') AS coupons,
              has_table_privilege('write_probe', 'SELECT') AND has_table_privilege('write_probe', 'INSERT')
                AND has_table_privilege('write_probe', 'UPDATE') AS probe`,
    );
    const missing = [rows[0]!.coupons ? '' : 'coupons', rows[0]!.probe ? '' : 'write_probe'].filter(Boolean);
    if (missing.length > 0) {
      throw Object.assign(new Error(`permission denied for table ${missing.join(' and ')}`), { code: '42501' });
    }
  } finally {
    client.release();
  }
}
