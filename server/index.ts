// The reference merchant coupon server, as a library. The CLI (`gb-coupon serve`), the harness and
// the tests all start it through startServer; createServer gives the wired app without listening.
//
//   const server = await startServer({ port: 0, dbFile: 'tmp/coupons.db', token: 'secret', logger: false });
//   const shared = await startServer({ port: 0, db: 'postgres://app:secret@db:5432/coupons', token: 'secret' });
//   await fetch(`${server.url}/healthz`);
//   await server.close();
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { createApp } from './app.ts';
import { answerClientErrors } from './client-error.ts';
import type { RequestState } from './context.ts';
import { codeGenerator } from './coupons/generate-code.ts';
import { createLogger, type Logger, silentLogger } from './logger.ts';
import type { DrainState } from './middleware/request-log.ts';
import { openStore } from './open-store.ts';
import { checkOptions, defaults, ServerOptionError, type ServerOptions } from './options.ts';
import { shutdown } from './shutdown.ts';
import { SqliteStore } from './store/sqlite-store.ts';
import type { CouponStore } from './store/store.ts';

export type { CodedDelivery, CouponDelivery, StoredCoupon } from './coupons/delivery.ts';
export { createLogger, type Logger } from './logger.ts';
export { defaults, generateToken, ServerOptionError, type ServerOptions } from './options.ts';
export type { MerchantError } from './problem.ts';
export { PostgresStore, type PostgresStoreOptions } from './store/postgres-store.ts';
export {
  SqliteDriverMissingError,
  SqliteStore,
  type SqliteStoreOptions,
  type Synchronous,
} from './store/sqlite-store.ts';
export type { CouponStore, CreateResult } from './store/store.ts';

/** The wired server, not yet listening. */
export interface CouponServer {
  app: Koa<RequestState>;
  store: CouponStore;
  logger: Logger;
  /** Set `draining` to make every response close its connection (startServer does this on close). */
  drainState: DrainState;
}

/** A listening server. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:38121`, with the port actually bound. */
  url: string;
  port: number;
  host: string;
  server: http.Server;
  store: CouponStore;
  /**
   * Stops accepting, answers what arrives on open connections for a short drain (with Connection:
   * close), closes idle connections, lets in-flight requests finish (up to shutdownTimeoutMs),
   * closes the store. Idempotent.
   */
  close(): Promise<void>;
}

/** Checks the options, opens the store (creating and migrating its schema) and wires the app. */
export async function createServer(options: ServerOptions): Promise<CouponServer> {
  checkOptions(options);
  const logger = options.logger === false ? silentLogger() : (options.logger ?? createLogger());
  const store = await openStore(options);
  const drainState: DrainState = { draining: false, reading: new Set() };
  const app = createApp({
    store,
    logger,
    token: options.token,
    ...(options.signingSecret !== undefined ? { signingSecret: options.signingSecret } : {}),
    bodyLimit: options.bodyLimit ?? defaults.bodyLimit,
    newCode:
      options.generateCode ??
      codeGenerator({
        prefix: options.codePrefix ?? defaults.codePrefix,
        length: options.codeLength ?? defaults.codeLength,
      }),
    drainState,
  });
  return { app, store, logger, drainState };
}

/** createServer, then listen on host:port (port 0: a free one). Resolves once it accepts connections. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { app, store, logger, drainState } = await createServer(options);
  await checkWritable(store);
  const server = http.createServer(app.callback());
  // Bound how long a slow client may hold a request open (headers and body).
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  answerClientErrors(server, logger);
  try {
    // once() rejects with the 'error' (EADDRINUSE, EACCES) emitted before 'listening'.
    await once(server.listen(options.port ?? defaults.port, options.host ?? defaults.host), 'listening');
  } catch (error) {
    await store.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.address;
  const url = `http://${address.family === 'IPv6' ? `[${host}]` : host}:${address.port}`;
  logger.info(
    {
      url,
      store: store.name,
      dbFile: store instanceof SqliteStore ? store.file : undefined,
      location: store.location,
      signing: options.signingSecret ? 'on' : 'off',
      bodyLimit: options.bodyLimit ?? defaults.bodyLimit,
    },
    'listening',
  );
  if (options.ephemeral) logger.warn('ephemeral store: coupons are kept in memory and lost when the server stops');
  return { url, port: address.port, host, server, store, close: closer(server, drainState, store, logger, options) };
}

/** The start-up write: a store that cannot write is closed and said in a sentence (ServerOptionError). */
async function checkWritable(store: CouponStore): Promise<void> {
  try {
    await store.ready();
  } catch (error) {
    await store.close();
    const where = store.location ?? `the ${store.name} store`;
    const fix = store instanceof SqliteStore ? ' Make it writable or choose another file.' : '';
    throw new ServerOptionError(`Cannot write to ${where}: ${(error as Error).message.replace(/\.?$/, '.')}${fix}`, {
      cause: error,
    });
  }
}

/** close() of a running server: drain, stop, close the store; once, whoever calls it. */
function closer(
  server: http.Server,
  drainState: DrainState,
  store: CouponStore,
  logger: Logger,
  options: ServerOptions,
): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      await shutdown(server, drainState, {
        drainMs: options.drainMs ?? defaults.drainMs,
        timeoutMs: options.shutdownTimeoutMs ?? defaults.shutdownTimeoutMs,
      });
      await store.close();
      logger.info('stopped');
    })();
    return closing;
  };
}
