// The SQLite schema, as an ordered list of migrations. The database records how far it has come in
// `PRAGMA user_version`; start-up applies the rest, each in its own transaction. Add a migration by
// appending one entry; never edit one that has shipped.
import type { Migration } from './store.ts';

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'coupons, one row per code',
    sql: `
      CREATE TABLE coupons (
        id               INTEGER PRIMARY KEY,
        code             TEXT NOT NULL UNIQUE,
        player_unique_id TEXT NOT NULL,
        coupon_type      TEXT NOT NULL,
        discount_kind    TEXT NOT NULL,
        value            REAL NOT NULL,
        delivery         TEXT NOT NULL, -- the delivery as received, every property, as JSON
        created_at       TEXT NOT NULL  -- UTC, ISO 8601
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: 'one row that the readiness check rewrites, to prove the store can write',
    sql: `
      CREATE TABLE write_probe (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        written_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];
