// The options of the server, their defaults, and the one place that checks them.
import { randomBytes } from 'node:crypto';
import type { Logger } from './logger.ts';
import { ServerOptionError } from './option-error.ts';
import { checkPostgresUrl, isPostgresUrl } from './store/postgres-target.ts';
import type { Synchronous } from './store/sqlite-store.ts';
import type { CouponStore } from './store/store.ts';

export interface ServerOptions {
  /** The bearer token Gameball sends (`Authorization: Bearer <token>`). Required. */
  token: string;
  /** TCP port; 0 picks a free one (read it back from `port`/`url`). Default 3000. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1, so nothing is exposed by accident; 0.0.0.0 for a network. */
  host?: string;
  /**
   * Where coupons live: a PostgreSQL URL (`postgres://user:password@host:5432/database`), which any
   * number of instances may share, or a SQLite file (as `dbFile`). Ignored with `store`.
   */
  db?: string;
  /**
   * The SQLite file, created on first start with its directory. Default ./data/coupons.db. Ignored
   * with `store`. `''` and `:memory:` (a database that is gone when the process ends) are refused
   * unless `ephemeral` is true.
   */
  dbFile?: string;
  /** PostgreSQL only: connections this instance keeps to the database (lookups, health checks, two writing batches). Default 10. */
  poolSize?: number;
  /** Keep coupons in memory only (lost when the server stops): for demos and tests. Said at start-up. */
  ephemeral?: boolean;
  /** SQLite only. Durability: `normal` (default: a 200 survives kill -9) or `full` (also survives power loss, about 15-25% less throughput). */
  synchronous?: Synchronous;
  /** Use this store instead of opening the SQLite file; the server closes it on close(). */
  store?: CouponStore;
  /** When set, POST bodies must carry a valid X-GB-Signature (Gameball's webhook scheme). Off by default. */
  signingSecret?: string;
  /** Largest accepted body in bytes. Default 1 MiB (1048576). */
  bodyLimit?: number;
  /** A pino logger, or false for no output at all. Default: one JSON line per request on stdout. */
  logger?: Logger | false;
  /** How long close() waits for in-flight requests before cutting connections. Default 10000 ms. */
  shutdownTimeoutMs?: number;
  /**
   * How long close() keeps answering requests that arrive on open keep-alive connections (with
   * Connection: close) before it closes the idle ones and ends clients whose body is still arriving.
   * Default 1000 ms; at most shutdownTimeoutMs.
   */
  drainMs?: number;
  /**
   * For a delivery without `code` (a template without {{code}}: the merchant generates the code),
   * what the generated code starts with. Letters, digits, `_` and `-`. Default `GB-`.
   */
  codePrefix?: string;
  /** How many random characters follow codePrefix in a generated code (5 bits each), 6 to 32. Default 10. */
  codeLength?: number;
  /**
   * Your own code scheme for deliveries without `code`, instead of codePrefix and codeLength (e.g.
   * your commerce system's). Each call must return a new candidate: one some coupon already holds is
   * drawn again, up to 8 times, then the delivery answers 500.
   */
  generateCode?: () => string;
}

export const defaults = {
  port: 3000,
  host: '127.0.0.1',
  dbFile: './data/coupons.db',
  poolSize: 10,
  synchronous: 'normal',
  bodyLimit: 1024 * 1024,
  shutdownTimeoutMs: 10_000,
  drainMs: 1_000,
  codePrefix: 'GB-',
  codeLength: 10,
} as const;

/** A fresh bearer token (24 URL-safe characters, 144 random bits) for a run given none. */
export const generateToken = (): string => randomBytes(18).toString('base64url');

export { ServerOptionError };

/** Throws a ServerOptionError for the first option that cannot work. */
export function checkOptions(options: ServerOptions): void {
  if (typeof options.token !== 'string' || !/^[\x21-\x7e]+$/.test(options.token)) {
    throw new ServerOptionError(
      'The server needs a bearer token: a non-empty string of visible ASCII characters without spaces (the value Gameball sends as Authorization: Bearer <token>).',
    );
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) {
    throw new ServerOptionError(
      `The port must be an integer from 0 to 65535 (0 picks a free port); got ${String(options.port)}.`,
    );
  }
  if (options.bodyLimit !== undefined && !(Number.isSafeInteger(options.bodyLimit) && options.bodyLimit > 0)) {
    throw new ServerOptionError(
      `The body limit must be a positive whole number of bytes; got ${String(options.bodyLimit)}.`,
    );
  }
  if (options.synchronous !== undefined && options.synchronous !== 'full' && options.synchronous !== 'normal') {
    throw new ServerOptionError(`synchronous must be "full" or "normal"; got ${String(options.synchronous)}.`);
  }
  if (options.signingSecret !== undefined && options.signingSecret.length === 0) {
    throw new ServerOptionError('The signing secret is empty; leave it out to turn signature checks off.');
  }
  if (options.shutdownTimeoutMs !== undefined && !(options.shutdownTimeoutMs >= 0)) {
    throw new ServerOptionError(`shutdownTimeoutMs must be 0 or more; got ${String(options.shutdownTimeoutMs)}.`);
  }
  if (options.drainMs !== undefined && !(options.drainMs >= 0)) {
    throw new ServerOptionError(`drainMs must be 0 or more; got ${String(options.drainMs)}.`);
  }
  checkCodeShape(options);
  if (options.store === undefined) checkDatabase(options);
}

/** Generated codes must fit the contract's code (letters, digits, `_`, `-`; at most 64) and be hard to guess. */
function checkCodeShape(options: ServerOptions): void {
  const prefix = options.codePrefix ?? defaults.codePrefix;
  const length = options.codeLength ?? defaults.codeLength;
  if (typeof prefix !== 'string' || !/^[A-Za-z0-9_-]{0,32}$/.test(prefix)) {
    throw new ServerOptionError(
      `The code prefix may hold up to 32 letters, digits, "_" and "-" (a coupon code's alphabet); got ${JSON.stringify(prefix)}.`,
    );
  }
  if (!(Number.isInteger(length) && length >= 6 && length <= 32)) {
    throw new ServerOptionError(
      `The code length (random characters after the prefix) must be a whole number from 6 to 32; got ${String(length)}.`,
    );
  }
}

/** The options that say where coupons live. */
function checkDatabase(options: ServerOptions): void {
  if (options.poolSize !== undefined && !(Number.isInteger(options.poolSize) && options.poolSize >= 1)) {
    throw new ServerOptionError(
      `The pool size must be a whole number of connections, 1 or more; got ${String(options.poolSize)}.`,
    );
  }
  if (options.db !== undefined && options.dbFile !== undefined) {
    throw new ServerOptionError('Both db and dbFile name a database; give one.');
  }
  const db = options.db ?? options.dbFile;
  if (db !== undefined && isPostgresUrl(db)) {
    if (options.ephemeral) {
      throw new ServerOptionError(
        'ephemeral keeps coupons in memory, but a PostgreSQL database was also given; choose one.',
      );
    }
    checkPostgresUrl(db);
    return;
  }
  if (!options.ephemeral && isEphemeralFile(db ?? defaults.dbFile)) {
    throw new ServerOptionError(
      `The database must be a file: ${JSON.stringify(db)} keeps coupons in a temporary database that is gone when the server stops. Name a file (e.g. ./data/coupons.db), or ask for a throw-away store explicitly with ephemeral (--ephemeral).`,
    );
  }
  if (options.ephemeral && db !== undefined && !isEphemeralFile(db)) {
    throw new ServerOptionError(
      `ephemeral keeps coupons in memory, but a database file (${db}) was also given; choose one.`,
    );
  }
}

/** SQLite names that open a database that lives only as long as the connection. */
export function isEphemeralFile(file: string): boolean {
  return file.trim() === '' || file === ':memory:' || /^file:.*[?&]mode=memory\b|^file::memory:/.test(file);
}
