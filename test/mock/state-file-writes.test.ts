// How the state file writes: one transaction per turn of the event loop (group-commit.ts) in which
// each request's transaction is undone alone, and whose failure (a failed COMMIT, or SQLite rolling
// the transaction back itself) fails the turn; and the ledger's running totals (ledger-accounts.ts),
// which are the sums of the entries, also in a file whose entries were written without them.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../mock/state/group-commit.ts';
import type { LedgerEntry } from '../../mock/state/ledger-table.ts';
import { createSqliteStore, type StateStore } from '../../mock/state/state-store.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gb-mock-state-writes-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('one transaction per turn', () => {
  it('keeps the turn’s writes but those of a transaction that threw, and says when they are committed', async () => {
    const file = path.join(dir, 'turn.db');
    let store = await createSqliteStore(file);
    store.transaction(() => store.put('order', 'A', { customerId: 'C1' }));
    expect(() =>
      store.transaction(() => {
        store.put('order', 'B', { customerId: 'C1' });
        throw new Error('refused');
      }),
    ).toThrow('refused');
    store.put('order', 'C', { customerId: 'C1' });
    // Within the turn the store reads its own writes; the refused one is gone already.
    expect(store.listOwned('order', 'C1')).toHaveLength(2);
    await store.committed();
    store.close();

    store = await createSqliteStore(file);
    try {
      expect(store.get('order', 'A')).toEqual({ customerId: 'C1' });
      expect(store.get('order', 'B')).toBeUndefined();
      expect(store.get('order', 'C')).toEqual({ customerId: 'C1' });
      // Nothing written since: nothing to wait for.
      await expect(store.committed()).resolves.toBeUndefined();
    } finally {
      store.close();
    }
  });
});

let nextId = 1;
function entry(customerId: string, points: number, extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return { id: nextId++, customerId, kind: 'earn', points, held: 0, at: 'now', balanceAfter: 0, ...extra };
}

/** A history with earnings, spends, a hold spent, one lapsed and one still holding. */
function writeHistory(store: StateStore): void {
  const { ledger } = store;
  store.transaction(() => {
    ledger.append(entry('C1', 500, { transactionType: 'PaymentReward' }));
    ledger.append(entry('C1', -120, { kind: 'spend', transactionType: 'Redemption' }));
    ledger.append(entry('C1', 0, { kind: 'hold', held: 90, holdReference: 'H1', holdExpiresAt: null }));
    ledger.append(entry('C1', 0, { kind: 'release', held: -90, holdReference: 'H1', holdExpiresAt: null }));
    ledger.append(entry('C1', -90, { kind: 'spend' }));
    ledger.append(
      entry('C1', 0, { kind: 'hold', held: 40, holdReference: 'H2', holdExpiresAt: '2026-01-01T00:00:00Z' }),
    );
    ledger.append(entry('C1', 0, { kind: 'hold', held: 30, holdReference: 'H3', holdExpiresAt: null }));
    ledger.append(entry('C2', 75, { transactionType: 'AchievementReward' }));
    ledger.append(entry('C2', 25, { kind: 'earn', transactionType: 'Refund' }));
  });
}

/** The totals summed from the entries, as the ledger is defined. */
function summed(store: StateStore, customerId: string, now: string) {
  const entries = store.ledger.entries(customerId);
  const earning = ['PaymentReward', 'AchievementReward', 'ManualAccumulation'];
  return {
    balance: entries.reduce((sum, e) => sum + e.points, 0),
    held: entries
      .filter((e) => e.holdExpiresAt === null || e.holdExpiresAt === undefined || e.holdExpiresAt > now)
      .reduce((sum, e) => sum + e.held, 0),
    earned: entries
      .filter((e) => e.points > 0 && earning.includes(e.transactionType ?? ''))
      .reduce((s, e) => s + e.points, 0),
  };
}

describe('the ledger’s running totals', () => {
  const now = '2026-06-01T00:00:00Z';

  it('are the sums of the entries, and a transaction that threw adds nothing to them', async () => {
    const store = await createSqliteStore(path.join(dir, 'totals.db'));
    try {
      writeHistory(store);
      expect(() =>
        store.transaction(() => {
          store.ledger.append(entry('C1', 1000, { transactionType: 'PaymentReward' }));
          throw new Error('refused');
        }),
      ).toThrow('refused');
      expect(store.ledger.totals('C1', now)).toEqual({ balance: 290, held: 30, earned: 500 });
      expect(store.ledger.totals('C1', now)).toEqual(summed(store, 'C1', now));
      expect(store.ledger.totals('C2', now)).toEqual(summed(store, 'C2', now));
      expect(store.ledger.totals('C2', now)).toEqual({ balance: 100, held: 0, earned: 75 });
      expect(store.ledger.totals('NOBODY', now)).toEqual({ balance: 0, held: 0, earned: 0 });
    } finally {
      store.close();
    }
  });

  it('are summed from the entries in a state file written before they were kept', async () => {
    const file = path.join(dir, 'before.db');
    let store = await createSqliteStore(file);
    writeHistory(store);
    const before = { c1: store.ledger.totals('C1', now), c2: store.ledger.totals('C2', now) };
    store.close();
    const db = new Database(file);
    db.exec('DROP TABLE ledger_account; DROP TABLE ledger_hold');
    db.close();

    store = await createSqliteStore(file);
    try {
      expect({ c1: store.ledger.totals('C1', now), c2: store.ledger.totals('C2', now) }).toEqual(before);
      store.ledger.append(entry('C1', 10));
      expect(store.ledger.totals('C1', now).balance).toBe(before.c1.balance + 10);
    } finally {
      store.close();
    }
  });
  it('are summed from the entries again at every open, so entries an older stand-in wrote count', async () => {
    const file = path.join(dir, 'older-writer.db');
    let store = await createSqliteStore(file);
    writeHistory(store);
    // A hold still holding, until a date the rebuilt totals must keep.
    store.ledger.append(
      entry('C2', 0, { kind: 'hold', held: 20, holdReference: 'H9', holdExpiresAt: '2099-01-01T00:00:00Z' }),
    );
    await store.committed();
    store.close();
    // An older stand-in kept no totals: it appended entries and left ledger_account as it was.
    const db = new Database(file);
    db.prepare(
      "INSERT INTO ledger_entry (customer_id, points, held, hold_expires_at, transaction_type, body) VALUES ('C2', 40, 0, NULL, 'PaymentReward', '{}'), ('C3', 15, 0, NULL, 'ManualAccumulation', '{}')",
    ).run();
    db.close();

    store = await createSqliteStore(file);
    try {
      expect(store.ledger.totals('C2', now)).toEqual({ balance: 140, held: 20, earned: 115 });
      expect(store.ledger.totals('C2', '2099-01-02T00:00:00Z').held).toBe(0);
      expect(store.ledger.totals('C3', now)).toEqual({ balance: 15, held: 0, earned: 15 });
      expect(store.ledger.totals('C1', now)).toEqual({ balance: 290, held: 30, earned: 500 });
    } finally {
      store.close();
    }
  });
  it('refuse to open a file with a damaged entry, saying so, and leave it for another process to open', async () => {
    const file = path.join(dir, 'damaged.db');
    let store = await createSqliteStore(file);
    writeHistory(store);
    store.close();
    const db = new Database(file);
    db.prepare("UPDATE ledger_entry SET body = 'not json' WHERE held <> 0").run();
    db.close();

    await expect(createSqliteStore(file)).rejects.toThrow(/^Cannot open the state file .*malformed JSON/);
    // Nothing of the failed open is held: no owner left behind, no lock, the entries untouched.
    expect(existsSync(`${file}.owner`)).toBe(false);
    const again = new Database(file);
    again.prepare("UPDATE ledger_entry SET body = '{}' WHERE body = 'not json'").run();
    again.close();
    store = await createSqliteStore(file);
    try {
      expect(store.ledger.entries('C1')).toHaveLength(7);
    } finally {
      store.close();
    }
  });
});

/** The part of a database the group commit uses, failing its next COMMIT on request. */
function fakeDatabase() {
  const fake = {
    inTransaction: false,
    failCommit: false,
    exec(sql: string) {
      if (sql === 'BEGIN') fake.inTransaction = true;
      if (sql === 'ROLLBACK') fake.inTransaction = false;
      if (sql === 'COMMIT') {
        if (fake.failCommit) throw new Error('disk I/O error');
        fake.inTransaction = false;
      }
    },
    prepare: () => {
      throw new Error('not used');
    },
    pragma: () => undefined,
  };
  return fake;
}

describe('a turn whose commit fails', () => {
  it('fails every request of that turn, and the next turn commits again', async () => {
    const db = fakeDatabase();
    const batch = createGroupCommit(db);
    batch.open();
    db.failCommit = true;
    await expect(batch.committed()).rejects.toThrow('disk I/O error');
    expect(db.inTransaction).toBe(false);
    db.failCommit = false;
    batch.open();
    await expect(batch.committed()).resolves.toBeUndefined();
  });

  it('fails the turn when SQLite rolled its transaction back meanwhile, even if later writes succeed', async () => {
    const db = fakeDatabase();
    const batch = createGroupCommit(db);
    batch.open();
    // A full disk: SQLite ends the transaction itself; the turn's next write finds none open.
    db.inTransaction = false;
    batch.open();
    await expect(batch.committed()).rejects.toThrow('rolled back');
    batch.open();
    await expect(batch.committed()).resolves.toBeUndefined();
  });
});
