// How the state file writes: one transaction per turn of the event loop (group-commit.ts) in which
// each request's transaction is undone alone.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../mock/state/state-store.ts';

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
