// /readyz means "coupons sent here now can be stored": it fails while the database cannot be
// written (SQLite: its files made read-only under a running server; PostgreSQL: the role's INSERT
// privilege revoked) and is 200 on the first check once it can be again, while /healthz (liveness)
// stays 200. When the database cannot be reached at all, both are 503.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../server/index.ts';
import { delivery, errorBody, postgresForFile, setReadOnly, startTestServer, type TestServer } from './helpers.ts';

const postgres = postgresForFile();

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

describe('readiness', () => {
  it('is 200 while the store writes, 503 once it cannot, and 200 on the first check after it can again', async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await server.post(delivery('READY-1'))).status).toBe(200);

    const files = [server.dbFile, `${server.dbFile}-wal`].filter((file) => existsSync(file));
    expect(files).toHaveLength(2);
    setReadOnly(files, true);
    try {
      const failed = await server.post(delivery('READY-2'));
      expect(failed.status).toBe(500);
      const notReady = await fetch(`${server.url}/readyz`);
      expect(notReady.status).toBe(503);
      const error = await notReady.json();
      expect(error).toEqual({
        code: 'internal_error',
        message: 'The coupon store cannot write; coupons sent here now would fail.',
      });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      setReadOnly(files, false);
    }
    // The first check once the files can be written again tries a write and is ready (issue 18: it
    // answered 503 while the last coupon's failure was recent), and the coupon then stores.
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const retried = await server.post(delivery('READY-2'));
    expect(retried.status).toBe(200);
  });

  it('answers 405 with Allow to other methods, like every path', async () => {
    const response = await fetch(`${server.url}/readyz`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect((await errorBody(response)).code).toBe('method_not_allowed');
  });
});

describe('readiness on PostgreSQL', () => {
  let shared: TestServer;
  let database: string;
  const role = { name: 'coupon_app', password: 'app-secret-1' };
  beforeAll(async () => {
    const cluster = await postgres();
    const owner = await cluster.createDatabase();
    database = new URL(owner).pathname.slice(1);
    // The tables made by the owner; the server runs as a role with only the privileges it needs.
    await (await PostgresStore.open({ url: owner })).close();
    await cluster.query(`CREATE ROLE ${role.name} LOGIN PASSWORD '${role.password}'`);
    await cluster.query(
      `GRANT SELECT ON coupon_schema_migrations TO ${role.name};
       GRANT SELECT, INSERT ON coupons TO ${role.name};
       GRANT SELECT, INSERT, UPDATE ON write_probe TO ${role.name}`,
      [],
      database,
    );
    shared = await startTestServer({ db: cluster.url(database, role) });
  });
  afterAll(async () => {
    await shared?.dispose();
  });

  it('is 503 while the role may not write, and 200 on the first check once it may', async () => {
    const cluster = await postgres();
    expect((await fetch(`${shared.url}/readyz`)).status).toBe(200);
    expect((await shared.post(delivery('PG-READY-1'))).status).toBe(200);
    await cluster.query(`REVOKE INSERT ON coupons, write_probe FROM ${role.name}`, [], database);
    try {
      expect((await shared.post(delivery('PG-READY-2'))).status).toBe(500);
      const notReady = await fetch(`${shared.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(((await notReady.json()) as { message: string }).message).toBe(
        'The coupon store cannot write; coupons sent here now would fail.',
      );
      expect((await fetch(`${shared.url}/healthz`)).status).toBe(200);
    } finally {
      await cluster.query(`GRANT INSERT ON coupons, write_probe TO ${role.name}`, [], database);
    }
    expect((await fetch(`${shared.url}/readyz`)).status).toBe(200);
    expect((await shared.post(delivery('PG-READY-2'))).status).toBe(200);
  });

  it('answers 503 on /healthz and /readyz while the database refuses connections, and recovers', async () => {
    const cluster = await postgres();
    await cluster.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await cluster.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
    try {
      const health = await fetch(`${shared.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({
        code: 'internal_error',
        message: 'The coupon store is not reachable.',
      });
      expect((await fetch(`${shared.url}/readyz`)).status).toBe(503);
    } finally {
      await cluster.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    }
    expect((await fetch(`${shared.url}/healthz`)).status).toBe(200);
    expect((await shared.post(delivery('PG-READY-3'))).status).toBe(200);
    expect((await fetch(`${shared.url}/readyz`)).status).toBe(200);
    expect(await shared.rows('PG-READY-1')).toBe(1);
  });
});
