// The part of better-sqlite3's Database the state store's modules use, by shape: better-sqlite3 is
// an optional dependency, so the kit's published types must not name it (a consumer without it
// would fail to type-check).

export interface SqliteStatement {
  run(...parameters: unknown[]): unknown;
  get(...parameters: unknown[]): unknown;
  all(...parameters: unknown[]): unknown[];
}

export interface SqliteDatabase {
  exec(source: string): unknown;
  prepare(source: string): SqliteStatement;
  pragma(source: string): unknown;
  readonly inTransaction: boolean;
}
