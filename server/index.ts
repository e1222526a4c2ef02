// The reference merchant coupon server, as a library. The CLI (`gb-coupon serve`), the harness and
// the tests all start it through startServer; createServer gives the wired app without listening.
//
//   const server = await startServer({ port: 0, dbFile: 'tmp/coupons.db', token: 'secret', logger: false });
//   await fetch(`${server.url}/healthz`);
//   await server.close();
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { createApp } from './app.ts';
import { answerClientErrors } from './client-error.ts';
import type { RequestState } from './context.ts';
import { createLogger, type Logger, silentLogger } from './logger.ts';
import type { DrainState } from './middleware/request-log.ts';
import { checkOptions, defaults, ServerOptionError, type ServerOptions } from './options.ts';
import { shutdown } from './shutdown.ts';
import { SqliteStore } from './store/sqlite-store.ts';
import type { CouponStore } from './store/store.ts';

export type { CouponDelivery, StoredCoupon } from './coupons/delivery.ts';
export { createLogger, type Logger } from './logger.ts';
export { defaults, ServerOptionError, type ServerOptions } from './options.ts';
export type { MerchantError } from './problem.ts';
export { SqliteStore, type SqliteStoreOptions, type Synchronous } from './store/sqlite-store.ts';
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

/** Checks the options, opens the store (creating and migrating the SQLite file) and wires the app. */
export function createServer(options: ServerOptions): CouponServer {
  checkOptions(options);
  const logger = options.logger === false ? silentLogger() : (options.logger ?? createLogger());
  const store =
    options.store ??
    new SqliteStore({
      file: options.ephemeral ? ':memory:' : (options.dbFile ?? defaults.dbFile),
      synchronous: options.synchronous ?? defaults.synchronous,
    });
  const drainState: DrainState = { draining: false, reading: new Set() };
  const app = createApp({
    store,
    logger,
    token: options.token,
    signingSecret: options.signingSecret,
    bodyLimit: options.bodyLimit ?? defaults.bodyLimit,
    drainState,
  });
  return { app, store, logger, drainState };
}

/** createServer, then listen on host:port (port 0: a free one). Resolves once it accepts connections. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { app, store, logger, drainState } = createServer(options);
  try {
    await store.ready();
  } catch (error) {
    await store.close();
    const where = store instanceof SqliteStore ? `the database ${store.file}` : `the ${store.name} store`;
    throw new ServerOptionError(
      `Cannot write to ${where}: ${(error as Error).message.replace(/\.?$/, '.')} Make it writable or choose another file.`,
      { cause: error },
    );
  }
  const server = http.createServer(app.callback());
  // Bound how long a slow client may hold a request open (headers and body).
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  answerClientErrors(server, logger);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? defaults.port, options.host ?? defaults.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
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
      signing: options.signingSecret ? 'on' : 'off',
      bodyLimit: options.bodyLimit ?? defaults.bodyLimit,
    },
    'listening',
  );
  if (options.ephemeral) logger.warn('ephemeral store: coupons are kept in memory and lost when the server stops');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
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
  return { url, port: address.port, host, server, store, close };
}
