// Every lookup the stand-in's API serves is indexed: SQLite's plan for each query of the state store
// and of the ledger searches an index (a customer's coupons, holds, locks and ledger entries, a page
// of transactions), never scans a table; and both stores find a customer's records among many
// others' by the index they keep.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountQueries } from '../../mock/state/ledger-accounts.ts';
import { ledgerQueries } from '../../mock/state/ledger-table.ts';
import { createMemoryStore, createSqliteStore, type StateStore, stateQueries } from '../../mock/state/state-store.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gb-mock-indexes-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// What is not a lookup: writes, the start-up read of a whole kind, a reset, the account-wide count.
const notLookups = new Set([
  'upsert',
  'remove',
  'selectKind',
  'clear',
  'insert',
  'accountCount',
  'addToAccount',
  'addToHold',
  'clearAccounts',
  'clearHolds',
]);

describe('the state file', () => {
  it("answers every lookup from an index, in SQLite's own plan", async () => {
    const file = path.join(dir, 'plan.db');
    (await createSqliteStore(file)).close();
    const db = new Database(file, { readonly: true });
    try {
      const queries = { ...stateQueries, ...ledgerQueries, ...accountQueries };
      const plans = Object.entries(queries)
        .filter(([name]) => !notLookups.has(name))
        .map(([name, sql]) => {
          const parameters = Array.from({ length: sql.split('?').length - 1 }, () => 1);
          const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[];
          return [name, plan.map((step) => step.detail).join('; ')];
        });
      expect(plans.length).toBeGreaterThanOrEqual(8);
      for (const [name, plan] of plans) expect(plan, name).toMatch(/^SEARCH /);
      for (const [name, plan] of plans) expect(plan, name).not.toMatch(/\bSCAN\b/);
    } finally {
      db.close();
    }
  });
});

describe.each([['memory'], ['SQLite']])("a customer's records among many, in %s", (kind) => {
  let store: StateStore;
  beforeAll(async () => {
    store = kind === 'memory' ? createMemoryStore() : await createSqliteStore(path.join(dir, 'many.db'));
    store.transaction(() => {
      for (let i = 0; i < 5000; i++) store.put('coupon', `C${i}`, { code: `C${i}`, customerId: `CUS_${i % 500}` });
    });
  });
  afterAll(() => store.close());

  it('finds exactly that customer’s, and follows changes of owner and deletions', () => {
    expect(
      store
        .listOwned<{ code: string }>('coupon', 'CUS_7')
        .map((c) => c.code)
        .sort(),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `C${7 + 500 * i}`).sort());
    store.put('coupon', 'C7', { code: 'C7', customerId: 'CUS_8' });
    store.delete('coupon', 'C507');
    expect(store.listOwned('coupon', 'CUS_7')).toHaveLength(8);
    expect(store.listOwned<{ code: string }>('coupon', 'CUS_8').map((c) => c.code)).toContain('C7');
  });

  it('undoes every write of a transaction that throws, its index and ledger included', () => {
    const before = store.listOwned('coupon', 'CUS_9').length;
    expect(() =>
      store.transaction(() => {
        store.put('coupon', 'NEW', { code: 'NEW', customerId: 'CUS_9' });
        store.ledger.append({
          id: store.ledger.nextId(),
          customerId: 'CUS_9',
          at: '2026-11-20T00:00:00Z',
          kind: 'earn',
          points: 5,
          held: 0,
          balanceAfter: 5,
        });
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(store.get('coupon', 'NEW')).toBeUndefined();
    expect(store.listOwned('coupon', 'CUS_9')).toHaveLength(before);
    expect(store.ledger.entries('CUS_9')).toEqual([]);
    expect(store.ledger.totals('CUS_9', '2026-11-20T00:00:00Z')).toEqual({ balance: 0, held: 0, earned: 0 });
  });
});
