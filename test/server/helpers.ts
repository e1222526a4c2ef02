// Shared by the server tests: a real server on a free port with a temporary SQLite file, the
// contract's named examples and validators, and a direct look into the database.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { contractDocument, responseBodyValidator, type ValidateFunction } from '../../openapi/contract.ts';
import { type RunningServer, type ServerOptions, startServer } from '../../server/index.ts';

export const token = 'test-token-5b1c9e';

export interface TestServer extends RunningServer {
  dir: string;
  dbFile: string;
  /** POST /coupons with the token and a JSON content type unless overridden. */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** GET a path with the token. */
  get(pathname: string, headers?: Record<string, string>): Promise<Response>;
  /** The number of coupon rows in the database file, read through a separate connection. */
  rows(): number;
  /** close() and remove the temporary directory. */
  dispose(): Promise<void>;
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gb-server-test-'));
  const dbFile = path.join(dir, 'coupons.db');
  const server = await startServer({ port: 0, dbFile, token, logger: false, ...options });
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
    rows: () => countRows(dbFile),
    dispose: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function countRows(dbFile: string, code?: string): number {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const row = code
      ? db.prepare('SELECT count(*) AS n FROM coupons WHERE code = ?').get(code)
      : db.prepare('SELECT count(*) AS n FROM coupons').get();
    return (row as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Every code in the database file, read through a separate connection. */
export function storedCodes(dbFile: string): string[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT code FROM coupons').all() as { code: string }[]).map((row) => row.code);
  } finally {
    db.close();
  }
}

export type Delivery = Record<string, unknown> & { code: string };

/** The named request examples of POST /coupons in the merchant contract, by name. */
export function deliveryExamples(): Record<string, Delivery> {
  const document = contractDocument('merchant');
  const post = document.paths!['/coupons']!.post as {
    requestBody: { content: { 'application/json': { examples: Record<string, { $ref?: string; value?: Delivery }> } } };
  };
  const examples = post.requestBody.content['application/json'].examples;
  return Object.fromEntries(
    Object.entries(examples).map(([name, example]) => [name, structuredClone(resolve(document, example).value!)]),
  );
}

/** Follows an internal `$ref` (`#/components/examples/...`) of the bundled document. */
function resolve<T extends { $ref?: string }>(document: unknown, node: T): T {
  if (!node.$ref) return node;
  let target: unknown = document;
  for (const segment of node.$ref.replace(/^#\//, '').split('/')) target = (target as Record<string, unknown>)[segment];
  if (target === undefined) throw new Error(`The merchant contract has nothing at ${node.$ref}`);
  return target as T;
}

/** A valid delivery with a unique code, for tests that need many. */
export function delivery(code: string, overrides: Record<string, unknown> = {}): Delivery {
  return { ...deliveryExamples().adamRedeems!, code, ...overrides };
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
