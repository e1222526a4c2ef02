// Shared by the server tests: a real server on a free port with a temporary SQLite file (or a fresh
// database of a throw-away PostgreSQL cluster), the contract's named examples and validators, and a
// direct look into the database.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll } from 'vitest';
import { contractDocument, responseBodyValidator, type ValidateFunction } from '../../openapi/contract.ts';
import { resolveRef } from '../../openapi/json-pointer.ts';
import { type RunningServer, type ServerOptions, startServer } from '../../server/index.ts';
import { type PostgresCluster, startPostgres } from '../support/postgres.ts';

export const token = 'test-token-5b1c9e';

/** The stores the contract suite runs against. */
export const storeKinds = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof storeKinds)[number];

/**
 * This test file's PostgreSQL cluster: started on first use, stopped (pg_ctl stop -m immediate) and
 * removed after the file. Call at the top level of a file.
 */
export function postgresForFile(): () => Promise<PostgresCluster> {
  let started: Promise<PostgresCluster> | undefined;
  afterAll(async () => {
    if (started) await (await started).stop();
  });
  return () => {
    started ??= startPostgres();
    return started;
  };
}

export interface TestServer extends RunningServer {
  dir: string;
  /** The SQLite file, or the PostgreSQL URL given as `db`. */
  dbFile: string;
  /** POST /coupons with the token and a JSON content type unless overridden. */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** GET a path with the token. */
  get(pathname: string, headers?: Record<string, string>): Promise<Response>;
  /** The number of coupon rows (with this code), read through a separate connection. */
  rows(code?: string): Promise<number>;
  /** close() and remove the temporary directory. */
  dispose(): Promise<void>;
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gb-server-test-'));
  const dbFile = options.db ?? path.join(dir, 'coupons.db');
  const server = await startServer({ port: 0, ...(options.db ? {} : { dbFile }), token, logger: false, ...options });
  const auth = { authorization: `Bearer ${token}` };
  return {
    ...server,
    dir,
    dbFile,
    post: (body, headers = {}) =>
      fetch(`${server.url}/coupons`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: (pathname, headers = {}) => fetch(`${server.url}${pathname}`, { headers: { ...auth, ...headers } }),
    rows: (code) => countRows(dbFile, code),
    dispose: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const isUrl = (db: string): boolean => db.startsWith('postgres://');

/** Runs one query on a SQLite file or a PostgreSQL URL, through a connection of its own. */
async function queryDatabase<R>(
  db: string,
  sql: { sqlite: string; postgres: string },
  values: unknown[],
): Promise<R[]> {
  if (isUrl(db)) {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      return (await client.query(sql.postgres, values)).rows as R[];
    } finally {
      await client.end();
    }
  }
  const file = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return file.prepare(sql.sqlite).all(...values) as R[];
  } finally {
    file.close();
  }
}

/** The number of coupon rows (with this code) in a SQLite file or PostgreSQL database. */
export async function countRows(db: string, code?: string): Promise<number> {
  const where = code === undefined ? '' : isUrl(db) ? ' WHERE code = $1' : ' WHERE code = ?';
  const sql = `SELECT count(*)::integer AS n FROM coupons${where}`;
  const rows = await queryDatabase<{ n: number }>(
    db,
    { sqlite: sql.replace('::integer', ''), postgres: sql },
    code === undefined ? [] : [code],
  );
  return rows[0]!.n;
}

/** Every code in a SQLite file or PostgreSQL database. */
export async function storedCodes(db: string): Promise<string[]> {
  const sql = 'SELECT code FROM coupons';
  return (await queryDatabase<{ code: string }>(db, { sqlite: sql, postgres: sql }, [])).map((row) => row.code);
}

export type Delivery = Record<string, unknown> & { code: string };

/** The named request examples of POST /coupons in the merchant contract, by name (`merchantCode` has no code). */
export function deliveryExamples(): Record<string, Record<string, unknown> & { code?: string }> {
  const document = contractDocument('merchant');
  const post = document.paths!['/coupons']!.post as {
    requestBody: { content: { 'application/json': { examples: Record<string, { $ref?: string; value?: Delivery }> } } };
  };
  const examples = post.requestBody.content['application/json'].examples;
  return Object.fromEntries(
    Object.entries(examples).map(([name, example]) => [
      name,
      structuredClone((resolveRef(document, example) as { value: Delivery }).value),
    ]),
  );
}

/** A valid delivery of the kit's extended template with a unique code, for tests that need many. */
export function delivery(code: string, overrides: Record<string, unknown> = {}): Delivery {
  return { ...deliveryExamples().extended!, code, ...overrides };
}

export const couponResponse = responseBodyValidator('merchant', 'post', '/coupons', '200');
export const storedCouponResponse = responseBodyValidator('merchant', 'get', '/coupons/{code}', '200');

/** The contract's validator for an error status of POST /coupons (or GET for 404). */
export function errorResponse(status: number): ValidateFunction {
  if (status === 404) return responseBodyValidator('merchant', 'get', '/coupons/{code}', '404');
  return responseBodyValidator('merchant', 'post', '/coupons', String(status));
}

/** The JSON body of an error response, after checking that it is JSON and fits the contract. */
export async function errorBody(
  response: Response,
): Promise<{ code: string; message: string; details?: { field: string }[] }> {
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.startsWith('application/json')) throw new Error(`error response is ${contentType}, not JSON`);
  const body = (await response.json()) as { code: string; message: string; details?: { field: string }[] };
  const validate = errorResponse(response.status);
  if (!validate(body)) throw new Error(`error body does not fit the contract: ${JSON.stringify(validate.errors)}`);
  return body;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One request through node:http, for what fetch cannot send (no Content-Type, chunked bodies,
 * Content-Encoding). `chunks` are written one by one (chunked transfer when no Content-Length is
 * given). A write error after the server has answered (it may close early, e.g. on 413) is ignored.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    chunks?: (string | Buffer)[];
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(
      `${url}${options.path ?? '/coupons'}`,
      { method: options.method ?? 'POST', headers: options.headers },
      (response) => {
        answered = true;
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            text: Buffer.concat(parts).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    for (const chunk of options.chunks ?? []) request.write(chunk);
    request.end(options.body);
  });
}

/** The parsed error body of a raw response, after checking that it is JSON and fits the contract. */
export function rawErrorBody(response: RawResponse): { code: string; message: string; details?: { field: string }[] } {
  const contentType = String(response.headers['content-type'] ?? '');
  if (!contentType.startsWith('application/json'))
    throw new Error(`error response is ${contentType}, not JSON: ${response.text}`);
  const body = JSON.parse(response.text) as { code: string; message: string; details?: { field: string }[] };
  const validate = errorResponse(response.status);
  if (!validate(body)) throw new Error(`error body does not fit the contract: ${JSON.stringify(validate.errors)}`);
  return body;
}

/**
 * Makes files or folders read-only for this process, or writable again. chmod does not stop root,
 * so as root (CI containers) the immutable attribute is used, which also stops writes through files
 * the server already has open.
 */
export function setReadOnly(paths: string[], readOnly: boolean): void {
  if (process.getuid?.() === 0) {
    execFileSync('chattr', [readOnly ? '+i' : '-i', ...paths]);
    return;
  }
  for (const file of paths) chmodSync(file, readOnly ? (statSync(file).isDirectory() ? 0o555 : 0o444) : 0o755);
}
