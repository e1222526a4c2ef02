// The Gameball stand-in as a library: one node:http server on one port that answers Gameball's API
// on its real paths (the loyalty loop with real state, everything else from the document's examples
// through embedded Prism) and its own control plane under /__gb/.
//
//   const mock = await startMock({ port: 0 });
//   await fetch(`${mock.url}/api/v4.0/integrations/configurations/redemption`, { headers: { APIKey: 'k' } });
//   await mock.stop();
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CassetteWriter, openCassette } from '../core/cassette/cassette-writer.ts';
import { UsageError } from '../core/errors.ts';
import { createContext, type MockSettings } from './context.ts';
import { decideExposure } from './exposure.ts';
import { createHandler, type MockLogLevel } from './handler.ts';
import { recoverRedemptions } from './lifecycle/issue-coupon.ts';
import { loadLoyaltyRules } from './lifecycle/loyalty-rules.ts';
import { createPrismEngine, type PrismEngine } from './prism-engine.ts';
import { createMemoryStore, createSqliteStore, type StateStore } from './state/state-store.ts';

export type { MockLogLevel };

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
  /**
   * Require `Authorization: Bearer <token>` on the control plane (/__gb/); at least 16 characters.
   * Required, with apiKey and secretKey, on a host that is not loopback (see exposure.ts).
   */
  controlToken?: string;
  /** Leave the control plane open on a host that is not loopback, on purpose (RunningMock.warnings says so). */
  unsafeOpenControl?: boolean;
  /** How many calls to the merchant GET /__gb/deliveries keeps, the newest (1,000). */
  deliveryLogSize?: number;
  /** How many bytes of each request and answer body the delivery log keeps (16,384). */
  deliveryLogBodyBytes?: number;
  /** The loyalty rules (LoyaltyRules in the control document); mock/loyalty-rules.json when absent. */
  rulesFile?: string;
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
  /** What the operator should know at start (e.g. the control plane left open); the CLI prints them. */
  warnings: string[];
  /** Stops accepting, ends open connections, closes the state store. Idempotent. */
  stop(): Promise<void>;
}

export const mockDefaults = {
  startingPoints: 1000,
  merchantTimeoutMs: 10_000,
  deliveryLogSize: 1000,
  deliveryLogBodyBytes: 16 * 1024,
};

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const rules = loadLoyaltyRules(options.rulesFile);
  const host = options.host ?? '127.0.0.1';
  const { exposure, warnings } = await decideExposure({ ...options, host });
  const logSize = positive('deliveryLogSize', options.deliveryLogSize ?? mockDefaults.deliveryLogSize);
  const store: StateStore = options.stateFile
    ? await createSqliteStore(options.stateFile, logSize)
    : createMemoryStore(logSize);
  const settings = await mockSettings(options, rules, store);
  const context = createContext(store, settings, options.seed);
  recoverRedemptions(context);
  if (options.preloadPrism !== false) sharedPrism().catch(() => undefined);
  const handle = createHandler(context, sharedPrism, exposure, options);
  const server = http.createServer((request, response) => void handle(request, response));
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 30_000;
  try {
    // once() rejects with the 'error' (EADDRINUSE, EACCES) emitted before 'listening'.
    await once(server.listen(options.port ?? 0, host), 'listening');
  } catch (error) {
    store.close();
    await settings.cassette?.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host: address.address,
    state: store.location,
    warnings,
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

/** The settings every request is handled with, from the options (the cassette opened here). */
async function mockSettings(
  options: MockOptions,
  rules: MockSettings['rules'],
  store: StateStore,
): Promise<MockSettings> {
  return {
    rules,
    startingPoints: options.startingPoints ?? mockDefaults.startingPoints,
    merchantTimeoutMs: options.merchantTimeoutMs ?? mockDefaults.merchantTimeoutMs,
    deliveryLogBodyBytes: positive(
      'deliveryLogBodyBytes',
      options.deliveryLogBodyBytes ?? mockDefaults.deliveryLogBodyBytes,
    ),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.secretKey ? { secretKey: options.secretKey } : {}),
    ...(options.signingSecret ? { signingSecret: options.signingSecret } : {}),
    ...(await mockCassette(options.cassette, store)),
  };
}

let prismLoading: Promise<PrismEngine> | undefined;

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

/**
 * Prism, loaded once per process and shared by every stand-in in it (it holds no state). Loading
 * takes the event loop for 100 ms or more, so it happens once, while the first stand-in starts
 * listening: its own operations answer at once, and a request for Prism in the first moments waits.
 */
function sharedPrism(): Promise<PrismEngine> {
  prismLoading ??= createPrismEngine().catch((error: unknown) => {
    prismLoading = undefined;
    throw error;
  });
  return prismLoading;
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${name} must be a whole number of at least 1.`);
  return value;
}
