// The embedded default: with no configuration, the harness verifies the project's own reference
// server, started in-process on a free port with a throw-away database and a fresh token, through
// one of the templates the kit ships (`--template`: the default, merchant-code or extended).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CouponConfiguration } from '../core/config/coupon-configuration.ts';
import { defaultConfiguration, type ShippedTemplate } from '../core/config/default-configuration.ts';
import { UsageError } from '../core/errors.ts';
import { generateToken, SqliteDriverMissingError, startServer } from '../server/index.ts';

export interface EmbeddedTarget {
  configuration: CouponConfiguration;
  close(): Promise<void>;
}

export async function startEmbeddedTarget(
  options: { signingSecret?: string; template?: ShippedTemplate } = {},
): Promise<EmbeddedTarget> {
  const folder = await mkdtemp(path.join(tmpdir(), 'gb-coupon-'));
  const token = generateToken();
  try {
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dbFile: path.join(folder, 'coupons.db'),
      token,
      logger: false,
      // Closed when the run is over: no other client can be waiting for an answer, so the second of
      // draining a shared server gets is only a second added to every run.
      drainMs: 0,
      ...(options.signingSecret ? { signingSecret: options.signingSecret } : {}),
    });
    // One close however many callers (the run's end and a Ctrl-C can both ask): the folder goes
    // even when the server's close fails.
    let closing: Promise<void> | undefined;
    return {
      configuration: defaultConfiguration(`${server.url}/coupons`, token, options.template),
      close: () => {
        closing ??= server.close().finally(() => rm(folder, { recursive: true, force: true }));
        return closing;
      },
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    if (error instanceof SqliteDriverMissingError) {
      throw new UsageError(
        `Without --config, gb-coupon starts its reference server as the target. ${error.message} Or pass your own endpoint's configuration with --config.`,
      );
    }
    throw error;
  }
}
