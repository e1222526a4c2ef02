// The Gameball stand-in as a library: one node:http server on one port that answers Gameball's API
// on its real paths (the coupon lifecycle with real state, everything else through embedded Prism)
// and its own control plane under /__gb/.
//
//   const mock = await startMock({ port: 0 });
//   await fetch(`${mock.url}/api/v4.0/integrations/configurations/redemption`, { headers: { APIKey: 'k' } });
//   await mock.stop();
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CassetteWriter, openCassette } from '../core/cassette/cassette-writer.ts';
import { parseJson } from '../core/parse-json.ts';
import {
  type ContractName,
  contractDocument,
  describeErrors,
  problemLines,
  requestBodyValidator,
} from '../openapi/contract.ts';
import { createContext, type MockContext, type MockSettings } from './context.ts';
import { GameballError, invalidPayload, missingArguments, secretKeyRequired, unauthorized } from './errors.ts';
import { BodyTooLarge, readBody, sendJson } from './http-io.ts';
import { createPrismEngine, type PrismEngine } from './prism-engine.ts';
import { controlRoutes } from './routes/control-routes.ts';
import { gameballRoutes } from './routes/gameball-routes.ts';
import { createMatcher, type Route } from './routes/route.ts';
import { createMemoryStore, createSqliteStore, type StateStore } from './state/state-store.ts';

export type MockLogLevel = 'info' | 'warn' | 'silent';

export interface MockOptions {
  /** 0 (the default here) picks a free port; the CLI defaults to 4010, like Prism. */
  port?: number;
  host?: string;
  /** Require exactly this APIKey; without it any non-empty key is accepted. */
  apiKey?: string;
  /** Require exactly this SecretKey; without it any non-empty key is accepted. */
  secretKey?: string;
  /** Keep the state in this SQLite file (survives restarts); in memory when absent. */
  stateFile?: string;
  /** Seed of the code generator: the same seed issues the same codes. */
  seed?: number;
  /** Points a new customer starts with (1,000). */
  startingPoints?: number;
  /** How long to wait for the merchant's coupon endpoint (10,000 ms). */
  merchantTimeoutMs?: number;
  /** Sign deliveries with X-GB-Signature using this secret (Gameball's webhook scheme). */
  signingSecret?: string;
  /** One line per request at info; refusals and failures only at warn; nothing at silent. */
  logLevel?: MockLogLevel;
  /** Where log lines go (standard output by default). */
  log?: (line: string) => void;
  /**
   * Load Prism at start (true, the default) or on the first request that needs it. Loading takes
   * the event loop for a while, so a short-lived in-process stand-in that only uses the stateful
   * operations (config push, flow) passes false.
   */
  preloadPrism?: boolean;
  /** Also record each call to the merchant in this cassette file (core/cassette), as `gb-coupon record` does. */
  cassette?: string;
}

export interface RunningMock {
  /** e.g. http://127.0.0.1:4010 */
  url: string;
  port: number;
  host: string;
  /** Where the state lives: "memory" or the SQLite file. */
  state: string;
  /** Stops accepting, ends open connections, closes the state store. Idempotent. */
  stop(): Promise<void>;
}

export const mockDefaults = { startingPoints: 1000, merchantTimeoutMs: 10_000, deliveryLogSize: 1000 };

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const store: StateStore = options.stateFile ? await createSqliteStore(options.stateFile) : createMemoryStore();
  const settings: MockSettings = {
    startingPoints: options.startingPoints ?? mockDefaults.startingPoints,
    merchantTimeoutMs: options.merchantTimeoutMs ?? mockDefaults.merchantTimeoutMs,
    deliveryLogSize: mockDefaults.deliveryLogSize,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.secretKey ? { secretKey: options.secretKey } : {}),
    ...(options.signingSecret ? { signingSecret: options.signingSecret } : {}),
    ...(await mockCassette(options.cassette, store)),
  };
  const context = createContext(store, settings, options.seed);
  // Prism loads while the stand-in starts listening: its own operations answer at once, and a
  // request for Prism in the first moments waits for it.
  let loading: Promise<PrismEngine> | undefined;
  const prism = (): Promise<PrismEngine> => {
    loading ??= createPrismEngine();
    return loading;
  };
  if (options.preloadPrism !== false) prism().catch(() => undefined);
  const handle = createHandler(context, prism, options);
  const server = http.createServer((request, response) => void handle(request, response));
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 30_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    store.close();
    await settings.cassette?.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    host: address.address,
    state: store.location,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A merchant call in flight is not worth waiting for: the answer would go nowhere.
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      })
        .then(() => settings.cassette?.close())
        .finally(() => store.close());
      return stopping;
    },
  };
}

/** `mock --cassette`: the cassette, opened once the store is; a failure closes the store. */
async function mockCassette(path: string | undefined, store: StateStore): Promise<{ cassette?: CassetteWriter }> {
  if (!path) return {};
  try {
    return { cassette: (await openCassette(path, { source: 'mock', redact: [] })).writer };
  } catch (error) {
    store.close();
    throw error;
  }
}

interface Operation {
  /** The security requirements of the operation: alternatives of scheme names. */
  security: string[][];
  hasBody: boolean;
}

function createHandler(
  context: MockContext,
  prism: () => Promise<PrismEngine>,
  options: MockOptions,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const route = createRouter(context, prism);
  const level = options.logLevel ?? 'info';
  const log = options.log ?? ((line: string) => void process.stdout.write(`${line}\n`));

  return async (request, response) => {
    const began = performance.now();
    const requestId = randomBytes(6).toString('hex').toUpperCase();
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://stand-in');
    let status = 500;
    let failure: string | undefined;
    try {
      const answer = await route(request, method, url, await readBody(request));
      status = answer.status;
      sendJson(response, status, answer.body, { 'x-request-id': requestId, ...answer.headers });
    } catch (error) {
      const refusal = asRefusal(error);
      status = refusal.status;
      if (!(error instanceof GameballError || error instanceof BodyTooLarge)) failure = (error as Error).stack;
      if (!response.headersSent) sendJson(response, status, refusal.body(requestId), { 'x-request-id': requestId });
    } finally {
      const shouldLog = level === 'info' || (level === 'warn' && status >= 400);
      if (shouldLog) {
        const ms = (performance.now() - began).toFixed(1);
        log(`${new Date().toISOString()} ${method} ${url.pathname} ${status} ${ms} ms ${requestId}`);
      }
      if (failure && level !== 'silent') log(failure);
    }
  };
}

interface RoutedAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Answers one request: the control plane, the stand-in's own operations (keys checked and body
 * validated against the document first), or Prism for the rest of Gameball's API. Refusals throw.
 */
function createRouter(
  context: MockContext,
  prism: () => Promise<PrismEngine>,
): (request: IncomingMessage, method: string, url: URL, text: string) => Promise<RoutedAnswer> {
  const gameball = createMatcher(gameballRoutes);
  const control = createMatcher(controlRoutes);
  const operations = operationsOf('gameball');
  const controlOperations = operationsOf('gameball-mock-control');
  return async (request, method, url, text) => {
    const isControl = url.pathname.startsWith('/__gb/');
    const match = isControl ? control(method, url.pathname) : gameball(method, url.pathname);
    if (!match || (!isControl && request.headers.prefer)) {
      if (isControl) throw new GameballError(404, 4004, 'NotFound', `No control operation ${method} ${url.pathname}.`);
      return (await prism()).answer({
        method: method.toLowerCase() as 'get',
        url: { path: url.pathname, query: Object.fromEntries(url.searchParams) },
        headers: request.headers as Record<string, string>,
        // Prism validates what it is given: no body, the JSON, or the text as it came.
        body: text.trim() === '' ? undefined : parseJson(text, text),
      });
    }
    const document: ContractName = isControl ? 'gameball-mock-control' : 'gameball';
    const operation = (isControl ? controlOperations : operations).get(`${method} ${match.route.template}`);
    if (!isControl) checkKeys(request, operation?.security ?? [], context);
    const body = operation?.hasBody ? validBody(document, method, match.route, text) : undefined;
    const answer = await match.route.handler(
      { method, path: url.pathname, query: url.searchParams, headers: request.headers, params: match.params, body },
      context,
    );
    return { status: answer.status ?? 200, body: answer.body };
  };
}

function asRefusal(error: unknown): GameballError {
  if (error instanceof GameballError) return error;
  if (error instanceof BodyTooLarge)
    return new GameballError(413, 3016, 'Validation', `Invalid payload: ${error.message}`);
  return new GameballError(500, 500, 'Internal', `The stand-in failed: ${(error as Error).message}`);
}

/** Every operation of a document, by "METHOD template", with its keys and whether it takes a body. */
function operationsOf(name: ContractName): Map<string, Operation> {
  const document = contractDocument(name) as {
    security?: Record<string, string[]>[];
    paths?: Record<string, Record<string, { security?: Record<string, string[]>[]; requestBody?: unknown }>>;
  };
  const found = new Map<string, Operation>();
  for (const [template, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (typeof operation !== 'object' || operation === null || method === 'parameters') continue;
      const security = (operation.security ?? document.security ?? []).map((requirement) => Object.keys(requirement));
      found.set(`${method.toUpperCase()} ${template}`, { security, hasBody: operation.requestBody !== undefined });
    }
  }
  return found;
}

/**
 * Gameball's keys, as the operation's security asks: the API key everywhere, the secret key where
 * the document requires it too. Header names come from the document's security schemes.
 */
function checkKeys(request: IncomingMessage, alternatives: string[][], context: MockContext): void {
  if (alternatives.length === 0 || alternatives.some((schemes) => schemes.length === 0)) return;
  const required = alternatives.reduce((common, set) => common.filter((scheme) => set.includes(scheme)));
  for (const scheme of [...required].sort((a) => (a === 'apiKey' ? -1 : 1))) {
    const header = securityHeaders.get(scheme);
    if (!header) continue;
    const value = request.headers[header];
    const expected = scheme === 'secretKey' ? context.settings.secretKey : context.settings.apiKey;
    if (typeof value !== 'string' || value === '') {
      throw scheme === 'secretKey'
        ? secretKeyRequired()
        : unauthorized(`Unauthorized: the ${header} header is missing.`);
    }
    if (expected !== undefined && value !== expected) {
      throw unauthorized(`Unauthorized: the ${header} header does not match this account's key.`);
    }
  }
}

/** Scheme name -> header name (lower case, as Node gives headers) for the document's API-key schemes. */
const securityHeaders: Map<string, string> = new Map(
  Object.entries(
    (contractDocument('gameball').components as { securitySchemes?: Record<string, { in?: string; name?: string }> })
      .securitySchemes ?? {},
  )
    .filter(([, scheme]) => scheme.in === 'header' && scheme.name)
    .map(([name, scheme]) => [name, scheme.name!.toLowerCase()]),
);

function validBody(document: ContractName, method: string, route: Route, text: string): unknown {
  let body: unknown = {};
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw invalidPayload(`the body is not JSON (${(error as Error).message}).`);
    }
  }
  const validate = requestBodyValidator(document, method, route.template);
  if (validate(body)) return body;
  const problems = describeErrors(validate.errors);
  const missing = problems.filter((p) => p.message === 'is required').map((p) => p.field);
  if (missing.length > 0) throw missingArguments(missing);
  throw invalidPayload(`${problemLines(problems, 'the body').join('; ')}.`);
}
