// Group commit for the state file: one SQLite transaction per turn of the event loop instead of one
// per request. A commit writes every page it changed to the WAL (the ledger's table and index, the
// records' table and index, the delivery log), so per request that was most of the stand-in's time
// with --state; shared by the requests of a turn, it is paid once.
//
// The first write of a turn opens the transaction and a setImmediate commits it, after the turn's
// I/O callbacks (every request that arrived) have run. The store's own transaction() nests inside
// it as a savepoint, so a request that fails still undoes only its own writes. Nothing leaves the
// process before the writes it rests on are committed: the handler answers, and the merchant is
// called, only once committed() resolves; so every 200 is in the WAL, and survives kill -9, before
// anyone sees it. A failed commit rejects committed() for every request of that turn (a 500).
import type { SqliteDatabase } from './sqlite-database.ts';

export interface GroupCommit {
  /** Opens this turn's transaction when none is open; call before each write. */
  open(): void;
  /** Resolves once every write made so far is committed; rejects when that commit failed. */
  committed(): Promise<void>;
  /** Commits the open transaction now (at close). */
  flush(): void;
}

interface Batch {
  done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

const settled = Promise.resolve();

export function createGroupCommit(db: SqliteDatabase): GroupCommit {
  let batch: Batch | undefined;
  // SQLite rolls a whole transaction back by itself on some errors (a full disk, an I/O error): the
  // writes of that turn made so far are gone, so the turn's batch must fail even if later writes of
  // the same turn (then each committed on its own) succeed.
  let lost = false;
  const commit = (): void => {
    const ending = batch;
    if (!ending) return;
    batch = undefined;
    try {
      if (lost || !db.inTransaction) throw new Error('The state file rolled back a transaction of this turn.');
      db.exec('COMMIT');
      ending.resolve();
    } catch (error) {
      ending.reject(error);
      try {
        if (db.inTransaction) db.exec('ROLLBACK');
      } catch {
        // Nothing better to do from a timer: the next turn's BEGIN fails, and its requests say so.
      }
    } finally {
      lost = false;
    }
  };
  return {
    open() {
      if (batch) {
        if (!db.inTransaction) lost = true;
        return;
      }
      db.exec('BEGIN');
      batch = newBatch();
      setImmediate(commit);
    },
    committed: () => batch?.done ?? settled,
    flush: commit,
  };
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  // A turn whose writes no request waits for (the start-up's recovery) must not crash the process
  // with an unhandled rejection; whoever awaits `done` still sees the failure.
  done.catch(() => undefined);
  return { done, resolve, reject };
}
