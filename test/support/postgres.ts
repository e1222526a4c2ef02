// A throw-away PostgreSQL cluster for tests and benches: initdb into a temporary folder, pg_ctl start
// on a free port of 127.0.0.1 (its unix socket in the same folder), and pg_ctl stop -m immediate at
// the end. The machine's own PostgreSQL binaries are used (pg_config --bindir, else the newest
// /usr/lib/postgresql/*/bin); as root, every command runs as the `postgres` user, which owns the folder.
// TCP connections need the superuser's password (random per cluster), so a wrong password fails as
// it would in production; connections through the socket are trusted.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './processes.ts';

const run = promisify(execFile);

export interface PostgresCluster {
  host: string;
  port: number;
  /** The temporary folder: data directory, socket, log. */
  dir: string;
  /** A URL of a database on this cluster, as the superuser or as `user`. */
  url(database?: string, user?: { name: string; password: string }): string;
  /** A new, empty database (a unique name unless given), and its URL as the superuser. */
  createDatabase(name?: string): Promise<string>;
  /** Runs SQL as the superuser on a database (default `postgres`). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    values?: unknown[],
    database?: string,
  ): Promise<R[]>;
  /** pg_ctl stop -m immediate and remove the folder. Idempotent. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** fsync off (the default) is for tests: commits still reach the OS before they are acknowledged. Benches keep it on. */
  fsync?: boolean;
}

/** The folder of initdb and pg_ctl; a clear error when PostgreSQL is not installed. */
export function postgresBinaries(): string {
  try {
    const bindir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(path.join(bindir, 'initdb'))) return bindir;
  } catch {
    // no pg_config: look where Debian puts the server
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => path.join(root, v, 'bin')).find((bin) => existsSync(path.join(bin, 'initdb')));
  if (!found) {
    throw new Error(
      'PostgreSQL is not installed (no initdb from pg_config --bindir or in /usr/lib/postgresql/*/bin); install it, e.g. apt-get install -y postgresql',
    );
  }
  return found;
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the postgres user when we are root (the server refuses to run as root). */
function asPostgres(bin: string, command: string, args: string[]): Promise<{ stdout: string }> {
  const file = path.join(bin, command);
  return asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args);
}

export async function startPostgres(options: ClusterOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinaries();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gb-postgres-'));
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(path.join(dir, 'password'), password);
    if (asRoot) {
      const [uid, gid] = ['-u', '-g'].map((flag) =>
        Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' })),
      );
      chownSync(dir, uid!, gid!);
      chownSync(path.join(dir, 'password'), uid!, gid!);
    }
    const data = path.join(dir, 'data');
    await asPostgres(bin, 'initdb', [
      ...['-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
      ...['--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${path.join(dir, 'password')}`],
    ]);
    const port = await startOnFreePort(bin, dir, options.fsync ?? false);
    return cluster(bin, dir, port, password);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** pg_ctl start on a port that was free; another one if something took it in the meantime. */
async function startOnFreePort(bin: string, dir: string, fsync: boolean): Promise<number> {
  const log = path.join(dir, 'server.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${fsync ? 'on' : 'off'}`;
    try {
      await asPostgres(bin, 'pg_ctl', [
        'start',
        '-D',
        path.join(dir, 'data'),
        '-w',
        '-t',
        '60',
        '-s',
        '-l',
        log,
        '-o',
        settings,
      ]);
      return port;
    } catch (error) {
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      if (attempt < 3 && /could not bind|Address already in use/.test(text)) continue;
      throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${text}`);
    }
  }
}

function cluster(bin: string, dir: string, port: number, password: string): PostgresCluster {
  const host = '127.0.0.1';
  const url: PostgresCluster['url'] = (database = 'postgres', user = { name: 'postgres', password }) =>
    `postgres://${encodeURIComponent(user.name)}:${encodeURIComponent(user.password)}@${host}:${port}/${database}`;
  let stopped: Promise<void> | undefined;
  let databases = 0;
  const query: PostgresCluster['query'] = async (sql, values, database) => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    host,
    port,
    dir,
    url,
    query,
    createDatabase: async (name = `coupons_${process.pid}_${++databases}`) => {
      await query(`CREATE DATABASE ${name}`);
      return url(name);
    },
    stop: () => {
      stopped ??= asPostgres(bin, 'pg_ctl', ['stop', '-D', path.join(dir, 'data'), '-m', 'immediate', '-w', '-s'])
        .then(() => undefined)
        .finally(() => rmSync(dir, { recursive: true, force: true }));
      return stopped;
    },
  };
}
