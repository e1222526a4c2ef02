#!/usr/bin/env node
// gb-coupon: one command for the contract kit. Each subcommand lives in its own module and is
// loaded only when used, so `gb-coupon serve` does not pay for the harness and vice versa.

import { Command, CommanderError } from 'commander';
import { UsageError } from '../core/errors.ts';
import { tool } from '../core/tool.ts';
import { redacted } from './redacted-output.ts';

const program = new Command('gb-coupon')
  .description("Build, prove and load-test a merchant endpoint for Gameball's custom coupon engine.")
  .version(tool.version)
  .showHelpAfterError('(run gb-coupon --help for usage)')
  .exitOverride();

// Only the named subcommand's module is loaded (help without one loads them all): `serve` then
// starts without the harness, and `verify` without the server until it needs it.
const subcommands: Record<string, () => Promise<(program: Command) => void>> = {
  serve: async () => (await import('./serve.ts')).registerServe,
  verify: async () => (await import('./verify.ts')).registerVerify,
  trigger: async () => (await import('./trigger.ts')).registerTrigger,
  mock: async () => (await import('./mock.ts')).registerMock,
  config: async () => (await import('./config.ts')).registerConfigCommands,
  flow: async () => (await import('./flow.ts')).registerFlow,
  load: async () => (await import('./load.ts')).registerLoad,
  record: async () => (await import('./record.ts')).registerRecord,
  cassette: async () => (await import('./cassette.ts')).registerCassette,
};
const args = process.argv.slice(2);
const named = args.find((arg) => !arg.startsWith('-'));
// `--version` alone needs no subcommand: loading them all would take most of a second.
const onlyVersion = !named && args.length > 0 && args.every((arg) => arg === '--version' || arg === '-V');
const loading = onlyVersion ? [] : named && named in subcommands ? [named] : Object.keys(subcommands);
for (const name of loading) {
  (await subcommands[name]!())(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

/** Usage and configuration mistakes exit 2 with one paragraph; anything else is a tool bug, also 2. */
function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message; --help and --version exit 0.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof UsageError) {
    // One paragraph: a message may quote the user's file (JSON.parse does), newlines and all.
    process.stderr.write(redacted(`gb-coupon: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`));
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    redacted(
      `gb-coupon: internal error: ${message}\nThis is a bug in gb-coupon; set GB_COUPON_DEBUG=1 to see where it happened.\n`,
    ),
  );
  if (process.env.GB_COUPON_DEBUG && error instanceof Error) process.stderr.write(redacted(`${error.stack}\n`));
  return 2;
}
