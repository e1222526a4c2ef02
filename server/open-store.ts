// The store the options ask for: the caller's own, PostgreSQL for a postgres:// URL, otherwise the
// SQLite file (or memory, when ephemeral). A new kind of store is one more line here.
import { defaults, type ServerOptions } from './options.ts';
import { PostgresStore } from './store/postgres-store.ts';
import { isPostgresUrl } from './store/postgres-target.ts';
import { SqliteStore } from './store/sqlite-store.ts';
import type { CouponStore } from './store/store.ts';

/** Opens the store of checked options (see checkOptions). */
export function openStore(options: ServerOptions): Promise<CouponStore> {
  if (options.store) return Promise.resolve(options.store);
  const db = options.db ?? options.dbFile;
  if (db !== undefined && isPostgresUrl(db)) {
    return PostgresStore.open({ url: db, poolSize: options.poolSize ?? defaults.poolSize });
  }
  return SqliteStore.open({
    file: options.ephemeral ? ':memory:' : (db ?? defaults.dbFile),
    synchronous: options.synchronous ?? defaults.synchronous,
  });
}
