// gb-coupon mock: a Gameball stand-in on one port until SIGTERM or SIGINT. Gameball's API on its
// real paths (the loyalty loop with state, the rest from the document through Prism) and the
// control plane under /__gb/.
import { type Command, Option } from 'commander';
import { UsageError } from '../core/errors.ts';
import { type MockLogLevel, mockDefaults, type RunningMock, StateStoreError, startMock } from '../mock/index.ts';
import { listenError } from './listen-error.ts';
import { byteSize, secretOption, wholeNumber } from './options.ts';

interface MockFlags {
  port: number;
  host: string;
  apiKey?: string;
  secretKey?: string;
  state?: string;
  seed?: number;
  startingPoints: number;
  merchantTimeout: number;
  signDeliveries?: boolean;
  controlToken?: string;
  unsafeOpenControl?: boolean;
  deliveryLogSize: number;
  deliveryLogBodyBytes: number;
  logLevel: MockLogLevel;
  rules?: string;
  cassette?: string;
}

export function registerMock(program: Command): void {
  const command = program
    .command('mock')
    .description(
      "Run a Gameball stand-in: all of Gameball's v4.0 API on its real paths (/api/v4.0/integrations/...), with " +
        'real state for the loyalty loop (customers, events, orders with cashback, points held, redeemed and refunded ' +
        "in a ledger, coupons your endpoint creates when a redemption calls it) and Gameball's error catalogue; the " +
        "rest of Gameball's document answered from its examples; a control plane under /__gb/ (test-connection, " +
        'campaigns/award, deliveries, points, clock, reset). SIGTERM or SIGINT stops it and exits 0. On a host that ' +
        'is not loopback it needs --control-token (or --unsafe-open-control), --api-key and --secret-key.',
    )
    .option('-p, --port <port>', 'TCP port (0 picks a free one)', wholeNumber('--port', 0, 65535), 4010);
  addAccessOptions(command);
  command
    .option('--state <file>', 'keep the state in this SQLite file, so it survives restarts (default: in memory)')
    .option('--seed <n>', 'seed of the coupon codes, to repeat a run', wholeNumber('--seed', 0, 2 ** 31 - 1))
    .option(
      '--rules <file>',
      'loyalty rules: cashback factor, points per event, hold minutes, automatic coupons (default: mock/loyalty-rules.json)',
    )
    .option(
      '--starting-points <n>',
      'points a new customer starts with',
      wholeNumber('--starting-points', 0, 1_000_000_000),
      mockDefaults.startingPoints,
    )
    .option(
      '--merchant-timeout <ms>',
      'how long to wait for your coupon endpoint',
      wholeNumber('--merchant-timeout', 1),
      mockDefaults.merchantTimeoutMs,
    )
    .option(
      '--sign-deliveries',
      "sign calls to your endpoint with X-GB-Signature using --secret-key (Gameball's webhook scheme)",
    )
    .option(
      '--delivery-log-size <n>',
      'how many calls to your endpoint GET /__gb/deliveries keeps (the newest)',
      wholeNumber('--delivery-log-size', 1, 1_000_000),
      mockDefaults.deliveryLogSize,
    )
    .addOption(
      new Option(
        '--delivery-log-body-bytes <size>',
        'how much of each request and answer body the delivery log keeps (e.g. 4KiB, 64KiB)',
      )
        .argParser(byteSize('--delivery-log-body-bytes', 1024, 1024 ** 2))
        .default(mockDefaults.deliveryLogBodyBytes, '16KiB'),
    )
    .addOption(
      new Option('--log-level <level>', 'info: a line per request; warn: refusals only; silent')
        .choices(['info', 'warn', 'silent'])
        .default('info'),
    )
    .option('--cassette <file>', 'also record each call to your endpoint in this cassette, as gb-coupon record does')
    .action(async (flags: MockFlags) => {
      await runMock(flags);
    });
}

/** Where it listens, and who may drive it: the keys of Gameball's API and the control plane's token. */
function addAccessOptions(command: Command): void {
  command
    .option(
      '--host <host>',
      'interface to listen on; one that is not loopback (e.g. 0.0.0.0) needs --control-token, --api-key and --secret-key',
      '127.0.0.1',
    )
    .addOption(
      secretOption(
        '--api-key <key>',
        'accept only this apikey header (default: any non-empty key)',
        'GAMEBALL_API_KEY',
      ),
    )
    .addOption(
      secretOption(
        '--secret-key <key>',
        'accept only this secretkey header (default: any non-empty key)',
        'GAMEBALL_SECRET_KEY',
      ),
    )
    .addOption(
      secretOption(
        '--control-token <token>',
        'require "Authorization: Bearer <token>" on the control plane /__gb/ (at least 16 characters)',
        'GB_COUPON_CONTROL_TOKEN',
      ),
    )
    .option(
      '--unsafe-open-control',
      'on a host that is not loopback, leave the control plane open to anyone who can reach it (warns at start)',
    );
}

async function runMock(flags: MockFlags): Promise<void> {
  if (flags.signDeliveries && !flags.secretKey) {
    throw new UsageError(
      '--sign-deliveries signs with the account secret key, so it needs --secret-key (or GAMEBALL_SECRET_KEY).',
    );
  }
  let mock: RunningMock;
  try {
    mock = await startMock({
      port: flags.port,
      host: flags.host,
      ...(flags.apiKey ? { apiKey: flags.apiKey } : {}),
      ...(flags.secretKey ? { secretKey: flags.secretKey } : {}),
      ...(flags.state ? { stateFile: flags.state } : {}),
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      ...(flags.rules ? { rulesFile: flags.rules } : {}),
      startingPoints: flags.startingPoints,
      merchantTimeoutMs: flags.merchantTimeout,
      ...(flags.signDeliveries && flags.secretKey ? { signingSecret: flags.secretKey } : {}),
      ...(flags.controlToken ? { controlToken: flags.controlToken } : {}),
      ...(flags.unsafeOpenControl ? { unsafeOpenControl: true } : {}),
      deliveryLogSize: flags.deliveryLogSize,
      deliveryLogBodyBytes: flags.deliveryLogBodyBytes,
      logLevel: flags.logLevel,
      ...(flags.cassette ? { cassette: flags.cassette } : {}),
    });
  } catch (error) {
    throw startupError(error, flags);
  }
  for (const warning of mock.warnings) process.stderr.write(`${warning}\n`);
  process.stdout.write(banner(mock, flags));
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    mock.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** What a partner needs to point a client at the stand-in; the first line is the one scripts wait for. */
function banner(mock: RunningMock, flags: MockFlags): string {
  const key = (given: string | undefined): string => (given ? 'the one given' : 'any non-empty value');
  const keys = `apikey: ${key(flags.apiKey)}; secretkey: ${key(flags.secretKey)}`;
  const control = flags.controlToken
    ? 'needs Authorization: Bearer <control token>'
    : flags.unsafeOpenControl
      ? 'OPEN to anyone who can reach this port'
      : 'no token: loopback callers only';
  return [
    `gb-coupon mock listening on ${mock.url}`,
    `  Gameball API   ${mock.url}/api/v4.0/integrations  (${keys})`,
    `  control plane  ${mock.url}/__gb/  (${control})`,
    `  state          ${mock.state === 'memory' ? 'in memory, gone when it stops' : mock.state}`,
    '  next           PUT your coupon configuration to /configurations/coupon; redemptions then call your endpoint',
    '',
  ].join('\n');
}

/** What went wrong at start-up, as a UsageError when it is the user's to fix. */
function startupError(error: unknown, flags: MockFlags): unknown {
  if (error instanceof StateStoreError) return new UsageError(error.message);
  return listenError(error, flags, 'another mock or Prism?') ?? error;
}
