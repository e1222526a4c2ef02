// The PostgreSQL store starting up: versioned migrations (also when several servers start at once
// on an empty database), a role that may only read and write the tables, and one paragraph with
// exit 2 from `gb-coupon serve` for every database it cannot use, never showing the password.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type CodedDelivery, PostgresStore, ServerOptionError, startServer } from '../../server/index.ts';
import { freePort, sourceCli } from '../support/processes.ts';
import { delivery, postgresForFile, token } from './helpers.ts';

const postgres = postgresForFile();

const databaseOf = (url: string): string => new URL(url).pathname.slice(1);

/** The schema versions recorded in a database. */
async function appliedVersions(url: string): Promise<number[]> {
  const rows = await (await postgres()).query<{ version: number }>(
    'SELECT version FROM coupon_schema_migrations ORDER BY version',
    [],
    databaseOf(url),
  );
  return rows.map((row) => row.version);
}

describe('migrations', () => {
  it('creates the schema on an empty database, records each version, and leaves it alone on the next start', async () => {
    const cluster = await postgres();
    const url = await cluster.createDatabase();
    await (await PostgresStore.open({ url })).close();
    await (await PostgresStore.open({ url })).close();
    expect(await appliedVersions(url)).toEqual([1, 2]);
  });

  it('lets five servers start at once on an empty database: one migrates, all serve one set of coupons', async () => {
    const cluster = await postgres();
    const url = await cluster.createDatabase();
    const servers = await Promise.all(
      Array.from({ length: 5 }, () => startServer({ port: 0, db: url, token, logger: false })),
    );
    try {
      const answers = await Promise.all(
        servers.map((server) =>
          fetch(`${server.url}/coupons`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify(delivery('RACE-START')),
          }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
      const bodies = await Promise.all(answers.map((answer) => answer.json()));
      for (const body of bodies) expect(body).toEqual(bodies[0]);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
    expect(await appliedVersions(url)).toEqual([1, 2]);
  });

  it('refuses a database whose schema is newer than the server knows', async () => {
    const cluster = await postgres();
    const url = await cluster.createDatabase();
    await (await PostgresStore.open({ url })).close();
    await cluster.query(
      `INSERT INTO coupon_schema_migrations (version, description) VALUES (99, 'future')`,
      [],
      databaseOf(url),
    );
    const opening = PostgresStore.open({ url });
    await expect(opening).rejects.toThrow(ServerOptionError);
    await expect(opening).rejects.toThrow(/schema version 99, newer than this server knows \(2\)/);
  });

  it('runs as a role that may only read and write the tables once an owner has made them', async () => {
    const cluster = await postgres();
    const owner = await cluster.createDatabase();
    await (await PostgresStore.open({ url: owner })).close();
    await cluster.query(`CREATE ROLE dml_only LOGIN PASSWORD 'dml-secret'`);
    await cluster.query(
      `GRANT SELECT ON coupon_schema_migrations TO dml_only;
       GRANT SELECT, INSERT ON coupons TO dml_only;
       GRANT SELECT, INSERT, UPDATE ON write_probe TO dml_only`,
      [],
      databaseOf(owner),
    );
    const store = await PostgresStore.open({
      url: cluster.url(databaseOf(owner), { name: 'dml_only', password: 'dml-secret' }),
    });
    try {
      await store.ready();
      expect((await store.create(delivery('DML-1') as CodedDelivery)).outcome).toBe('created');
    } finally {
      await store.close();
    }
  });
});

/** `gb-coupon serve --db <url>`: exit status and standard error. */
function serve(db: string): { status: number | null; stderr: string; stdout: string } {
  const result = spawnSync(process.execPath, [...sourceCli, 'serve', '--token', token, '--port', '0', '--db', db], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

/** Exit 2, one line on standard error, no stack, no password. */
function expectUsageError(result: { status: number | null; stderr: string }, message: RegExp, password: string): void {
  expect(result.stderr).toMatch(message);
  expect(result.status).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toContain(password);
}

describe('gb-coupon serve on a database it cannot use', () => {
  it('exits 2 for a URL that is not one', () => {
    const result = serve('postgres://app:hunter2-secret@127.0.0.1:notaport/coupons');
    expectUsageError(
      result,
      /^gb-coupon: The database URL postgres:\/\/app:\[redacted\]@127\.0\.0\.1:notaport\/coupons is not valid/,
      'hunter2-secret',
    );
  });

  it('exits 2 when nothing listens at the address', async () => {
    const port = await freePort();
    const result = serve(`postgres://app:hunter2-secret@127.0.0.1:${port}/coupons`);
    expectUsageError(
      result,
      new RegExp(`^gb-coupon: Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\)\\. Start it`),
      'hunter2-secret',
    );
  });

  it('exits 2 for a wrong password', async () => {
    const cluster = await postgres();
    const result = serve(cluster.url('postgres', { name: 'postgres', password: 'wrong-secret' }));
    expectUsageError(
      result,
      /^gb-coupon: PostgreSQL at .* refused the user postgres \(password authentication failed.*\)\. Correct the user and password/,
      'wrong-secret',
    );
  });

  it('exits 2 for a database that does not exist', async () => {
    const cluster = await postgres();
    const url = cluster.url('no_such_database');
    const result = serve(url);
    expectUsageError(
      result,
      /^gb-coupon: The database no_such_database does not exist on 127\.0\.0\.1:\d+\. Create it/,
      new URL(url).password,
    );
  });

  it('exits 2 when the role may not create the tables in the schema', async () => {
    const cluster = await postgres();
    const url = await cluster.createDatabase();
    await cluster.query(`CREATE ROLE no_create LOGIN PASSWORD 'nc-secret'`);
    const result = serve(cluster.url(databaseOf(url), { name: 'no_create', password: 'nc-secret' }));
    expectUsageError(
      result,
      /^gb-coupon: The role no_create lacks a privilege in database \w+ on .*\(permission denied for schema public\)\. .*GRANT CREATE ON SCHEMA public TO no_create/,
      'nc-secret',
    );
  });

  it('exits 2 when the role may read but not write the coupons', async () => {
    const cluster = await postgres();
    const owner = await cluster.createDatabase();
    await (await PostgresStore.open({ url: owner })).close();
    await cluster.query(`CREATE ROLE read_only LOGIN PASSWORD 'ro-secret'`);
    await cluster.query('GRANT SELECT ON ALL TABLES IN SCHEMA public TO read_only', [], databaseOf(owner));
    const result = serve(cluster.url(databaseOf(owner), { name: 'read_only', password: 'ro-secret' }));
    expectUsageError(
      result,
      /^gb-coupon: The role read_only lacks a privilege .*\(permission denied for table coupons and write_probe\)\. .*GRANT SELECT, INSERT ON coupons TO read_only/,
      'ro-secret',
    );
  });

  it('refuses --ephemeral with a PostgreSQL URL', () => {
    const result = spawnSync(
      process.execPath,
      [...sourceCli, 'serve', '--token', token, '--ephemeral', '--db', 'postgres://a:b-secret@h/d'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expectUsageError(result, /ephemeral keeps coupons in memory, but a PostgreSQL database was also given/, 'b-secret');
  });
});
