// Three `gb-coupon serve` processes on one PostgreSQL database behave as one endpoint: started at
// once on an empty database (they race to migrate), identical deliveries spread across them create
// one coupon that all of them answer, conflicting deliveries give one winner and 409s, and kill -9
// of one instance under load loses no coupon that any instance answered 200. Processes are stopped
// by PID; readiness is polled on /readyz with a bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitWithin, type RunningProcess } from '../support/processes.ts';
import { type ServeInstance, startServe } from '../support/serve-process.ts';
import { countRows, type Delivery, delivery, postgresForFile, token } from './helpers.ts';

const postgres = postgresForFile();

type Instance = ServeInstance;

const started: RunningProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((running) => running.stop('SIGKILL')));
});

const serve = (db: string): Promise<Instance> => startServe(db, token, started);

const post = (instance: Instance, body: Delivery): Promise<Response> =>
  fetch(`${instance.url}/coupons`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

const lookup = (instance: Instance, code: string): Promise<Response> =>
  fetch(`${instance.url}/coupons/${code}`, { headers: { authorization: `Bearer ${token}` } });

describe('three instances on one PostgreSQL database', () => {
  let db: string;
  let fleet: Instance[];
  beforeAll(async () => {
    db = await (await postgres()).createDatabase();
    // Started at once on an empty database: they race to create the schema.
    fleet = await Promise.all([serve(db), serve(db), serve(db)]);
  });

  it('started at once on an empty database, never print its password', () => {
    const password = decodeURIComponent(new URL(db).password);
    for (const instance of fleet) expect(instance.process.output()).not.toContain(password);
  });

  it('answer 90 concurrent identical deliveries spread across them with 200 and one coupon', async () => {
    const coupon = delivery('FLEET-SAME-1');
    const responses = await Promise.all(Array.from({ length: 90 }, (_, i) => post(fleet[i % 3]!, coupon)));
    expect(responses.map((response) => response.status)).toEqual(Array(90).fill(200));
    const bodies = await Promise.all(responses.map((response) => response.json()));
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(await countRows(db, 'FLEET-SAME-1')).toBe(1);
    for (const instance of fleet) expect(await (await lookup(instance, 'FLEET-SAME-1')).json()).toEqual(bodies[0]);
  });

  it('settle 60 conflicting deliveries of one code: one winner, its copies 200, the others 409', async () => {
    const variants = Array.from({ length: 60 }, (_, i) => delivery('FLEET-RACE-1', { value: 1 + (i % 2) }));
    const responses = await Promise.all(variants.map((variant, i) => post(fleet[i % 3]!, variant)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    const winners = await Promise.all(
      responses.filter((r) => r.status === 200).map((r) => r.json() as Promise<{ value: number }>),
    );
    expect(new Set(winners.map((winner) => winner.value)).size).toBe(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(30);
    expect(await countRows(db, 'FLEET-RACE-1')).toBe(1);
  });

  it('lose no acknowledged coupon when one instance is killed with SIGKILL under load', async () => {
    const victim = fleet[0]!;
    const acknowledged = await loadAndKill(fleet, victim);
    expect(await victim.process.exited).toBeNull();
    expect(victim.process.child.signalCode).toBe('SIGKILL');
    // Read back through the survivors and through a new instance on the same database.
    const readers = [fleet[1]!, fleet[2]!, await serve(db)];
    for (const reader of readers) expect(await unreadable(reader, acknowledged)).toEqual([]);
    expect(await countRows(db)).toBeGreaterThanOrEqual(acknowledged.length + 2);
    for (const reader of readers) reader.process.child.kill('SIGTERM');
    const exits = await Promise.all(readers.map((reader) => exitWithin(reader.process, 20_000, 'serve after SIGTERM')));
    expect(exits.map((exit) => exit.code)).toEqual([0, 0, 0]);
  });
});

/** The codes that `instance` does not answer 200 for, asked 25 at a time. */
async function unreadable(instance: Instance, codes: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (let from = 0; from < codes.length; from += 25) {
    const chunk = codes.slice(from, from + 25);
    const statuses = await Promise.all(chunk.map(async (code) => (await lookup(instance, code)).status));
    chunk.forEach((code, i) => {
      if (statuses[i] !== 200) missing.push(code);
    });
  }
  return missing;
}

/**
 * 24 loops of fresh deliveries, 8 on each instance; SIGKILL to `victim` once 300 are acknowledged.
 * The victim's loops stop at their first failure after the kill; the others must never fail.
 * Resolves with every code answered 200.
 */
async function loadAndKill(fleet: Instance[], victim: Instance): Promise<string[]> {
  const acknowledged: string[] = [];
  let killed = false;
  const kill = (): void => {
    if (killed) return;
    killed = true;
    victim.process.child.kill('SIGKILL');
  };
  const loops = Array.from({ length: 24 }, async (_, loop) => {
    const instance = fleet[loop % 3]!;
    for (let i = 0; i < 60; i++) {
      const code = `FLEET-KILL-${loop}-${i}`;
      let status: number;
      try {
        status = (await post(instance, delivery(code))).status;
      } catch (error) {
        if (killed && instance === victim) return;
        throw error;
      }
      if (status !== 200) throw new Error(`${code} answered ${status}`);
      acknowledged.push(code);
      if (acknowledged.length >= 300) kill();
    }
  });
  await Promise.all(loops);
  kill();
  return acknowledged;
}
