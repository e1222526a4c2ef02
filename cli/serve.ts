// gb-coupon serve: run the reference merchant coupon server until SIGTERM or SIGINT.
import { type Command, Option } from 'commander';
import { UsageError } from '../core/errors.ts';
import {
  createLogger,
  defaults,
  generateToken,
  type RunningServer,
  ServerOptionError,
  SqliteDriverMissingError,
  startServer,
} from '../server/index.ts';
import { secretOption, wholeNumber } from './options.ts';

interface ServeFlags {
  port: string;
  host: string;
  db: string;
  poolSize: string;
  ephemeral?: boolean;
  token?: string;
  signingSecret?: string;
  bodyLimit: string;
  synchronous: 'full' | 'normal';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  shutdownTimeout: string;
  codePrefix: string;
  codeLength: string;
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description(
      'Run the reference merchant coupon endpoint (POST /coupons, GET /coupons/{code}, GET /healthz, GET /readyz) on SQLite, ' +
        'or on PostgreSQL (--db postgres://...), which any number of instances may share. ' +
        'Logs one JSON line per request on stdout; SIGTERM or SIGINT finishes in-flight requests and exits 0 ' +
        '(send it to the node process: npx does not forward signals).',
    );
  addServeOptions(command);
  command.action(async (flags: ServeFlags, command: Command) => {
    // --ephemeral with the default --db is in memory; with a --db of its own, the options check refuses it.
    const dbGiven = command.getOptionValueSource('db') !== 'default';
    await serve(flags, dbGiven);
  });
}

function addServeOptions(command: Command): void {
  command
    .option('-p, --port <port>', 'TCP port (0 picks a free one)', String(defaults.port))
    .option('--host <host>', 'interface to listen on; 0.0.0.0 to serve a network', defaults.host)
    .option(
      '--db <file|url>',
      'SQLite file, created on first start; or a PostgreSQL URL (postgres://user:password@host:5432/database), whose tables are created on first start',
      defaults.dbFile,
    )
    .option('--pool-size <n>', 'PostgreSQL: connections this instance keeps to the database', String(defaults.poolSize))
    .option('--ephemeral', 'keep coupons in memory only, lost when the server stops (demos and tests)')
    .addOption(
      secretOption(
        '--token <token>',
        'bearer token Gameball sends (default: generated for this run)',
        'MERCHANT_API_TOKEN',
      ),
    )
    .addOption(
      secretOption(
        '--signing-secret <secret>',
        'verify X-GB-Signature with this secret (off by default)',
        'GAMEBALL_SIGNING_SECRET',
      ),
    )
    .option('--body-limit <size>', 'largest accepted body: bytes, or with kb / mb (1024-based)', '1mb')
    .addOption(
      new Option(
        '--synchronous <mode>',
        'SQLite durability: normal (default) survives kill -9; full also survives power loss, for about 15-25% less throughput',
      )
        .choices(['full', 'normal'])
        .default(defaults.synchronous),
    )
    .addOption(
      new Option('--log-level <level>', 'request log level')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info'),
    )
    .option(
      '--shutdown-timeout <ms>',
      'how long to wait for in-flight requests on SIGTERM',
      String(defaults.shutdownTimeoutMs),
    )
    .option(
      '--code-prefix <prefix>',
      'deliveries without a code (the template has no {{code}}): what the code the server generates starts with',
      defaults.codePrefix,
    )
    .option(
      '--code-length <n>',
      'deliveries without a code: how many random characters follow the prefix (6 to 32)',
      String(defaults.codeLength),
    );
}

async function serve(flags: ServeFlags, dbGiven: boolean): Promise<void> {
  const port = wholeNumber('--port', 0, 65535)(flags.port);
  const bodyLimit = parseSize(flags.bodyLimit);
  const shutdownTimeoutMs = wholeNumber('--shutdown-timeout', 0)(flags.shutdownTimeout);
  const poolSize = wholeNumber('--pool-size', 1, 1000)(flags.poolSize);
  const codeLength = wholeNumber('--code-length', 6, 32)(flags.codeLength);
  let token = flags.token;
  if (token === undefined) {
    token = generateToken();
    process.stderr.write(
      `gb-coupon serve: no --token or MERCHANT_API_TOKEN given, so this run accepts the generated token ${token} ` +
        `(send Authorization: Bearer ${token}). Set your own token for anything but a try-out.\n`,
    );
  }
  const logger = createLogger({ level: flags.logLevel });
  let running: RunningServer;
  try {
    running = await startServer({
      port,
      host: flags.host,
      ...(flags.ephemeral && !dbGiven ? {} : { db: flags.db }),
      poolSize,
      ephemeral: flags.ephemeral === true,
      token,
      ...(flags.signingSecret !== undefined ? { signingSecret: flags.signingSecret } : {}),
      bodyLimit,
      synchronous: flags.synchronous,
      logger,
      shutdownTimeoutMs,
      codePrefix: flags.codePrefix,
      codeLength,
    });
  } catch (error) {
    throw startupError(error, flags);
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** What went wrong at start-up, as a UsageError when it is the user's to fix. */
function startupError(error: unknown, flags: ServeFlags): unknown {
  if (error instanceof ServerOptionError || error instanceof SqliteDriverMissingError) {
    return new UsageError(error.message);
  }
  const { code = '', syscall } = error as { code?: string; syscall?: string };
  const message = (error as Error).message.replace(/\.?$/, '.');
  // Listening fails with syscall "listen" (or a DNS lookup); everything else at start-up is the
  // store: creating its folder, opening the file, or SQLite itself.
  if (syscall === 'listen' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    if (code === 'EADDRINUSE')
      return new UsageError(
        `Port ${flags.port} on ${flags.host} is in use; choose another with --port (0 picks a free one).`,
      );
    return new UsageError(
      `Cannot listen on ${flags.host}:${flags.port}: ${message} Use an address of this machine (e.g. 127.0.0.1 or 0.0.0.0) and a free port.`,
    );
  }
  if (/^E[A-Z]+$/.test(code) || code.startsWith('SQLITE') || /schema version/.test(message)) {
    return new UsageError(`Cannot use the database ${flags.db}: ${message} Choose another file with --db.`);
  }
  return error;
}

const units: Record<string, number> = { '': 1, b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2 };

/** "1048576", "512kb", "1mb" (1024-based) as bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match?.[2]?.toLowerCase() ?? '';
  if (!match || !(unit in units)) {
    throw new UsageError(`--body-limit must be a size such as 1048576, 512kb or 1mb; got "${text}".`);
  }
  const bytes = Math.floor(Number(match[1]) * units[unit]!);
  if (bytes < 1) throw new UsageError(`--body-limit must be at least 1 byte; got "${text}".`);
  return bytes;
}
