// The PostgreSQL schema, as an ordered list of migrations, and the one function that applies them.
// The database records how far it has come in `coupon_schema_migrations`; start-up applies the
// rest. Several instances may start at once on an empty database: each takes the same advisory
// lock first, inside the transaction that migrates, so one creates the tables and the others find
// them made. Add a migration by appending one entry; never edit one that has shipped.
import type { PoolClient } from 'pg';
import { ServerOptionError } from '../option-error.ts';
import type { Migration } from './store.ts';

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'coupons, one row per code',
    sql: `
      CREATE TABLE coupons (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code             text NOT NULL UNIQUE,
        player_unique_id text NOT NULL,
        coupon_type      text NOT NULL,
        discount_kind    text NOT NULL,
        value            double precision NOT NULL,
        delivery         json NOT NULL, -- the delivery as received, every property, as JSON text
        created_at       timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      );
    `,
  },
  {
    version: 2,
    description: 'one row that the readiness check rewrites, to prove the store can write',
    sql: `
      CREATE TABLE write_probe (
        id         integer PRIMARY KEY CHECK (id = 1),
        written_at timestamptz NOT NULL
      );
    `,
  },
];

/** The advisory lock every instance of this server takes to migrate ("gbck" in ASCII). */
const migrationLock = 0x6762636b;

/**
 * Applies the migrations the database has not seen, all in one transaction under the advisory lock.
 * A role that may not create tables starts fine once the tables exist (it only reads the version).
 */
export async function migrate(client: PoolClient, where: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
    const current = await schemaVersion(client);
    const latest = migrations.at(-1)!.version;
    if (current > latest) {
      throw new ServerOptionError(
        `The coupon tables in ${where} have schema version ${current}, newer than this server knows (${latest}); run a newer server or use another database.`,
      );
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO coupon_schema_migrations (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** The version the database is at; 0 (after creating the record table) when it has none. */
async function schemaVersion(client: PoolClient): Promise<number> {
  const found = await client.query<{ present: boolean }>(
    `SELECT to_regclass('coupon_schema_migrations') IS NOT NULL AS present`,
  );
  if (!found.rows[0]!.present) {
    await client.query(`
      CREATE TABLE coupon_schema_migrations (
        version     integer PRIMARY KEY,
        description text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    return 0;
  }
  const result = await client.query<{ version: number }>(
    'SELECT coalesce(max(version), 0)::integer AS version FROM coupon_schema_migrations',
  );
  return result.rows[0]!.version;
}
