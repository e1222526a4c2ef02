// gb-coupon config: the coupon configuration (the body of Gameball's PUT /configurations/coupon)
// as a file. `check` validates and normalises it exactly as the harness does before every run, and
// says what it changed and why; `push` (sends it to Gameball) is registered beside it.
import type { Command } from 'commander';
import pc from 'picocolors';
import type { CouponConfiguration } from '../core/config/coupon-configuration.ts';
import { configuredCredentials } from '../core/config/credentials.ts';
import { loadConfigurationFile } from '../core/config-file/load-configuration.ts';
import { ConfigError } from '../core/errors.ts';
import { lintTemplate, type TemplateFinding } from '../core/lint/lint-template.ts';
import { redactedMark } from '../core/redact/redact-credentials.ts';
import { contractDocument } from '../openapi/contract.ts';
import { registerInfer } from './config-infer.ts';
import { registerPush } from './config-push.ts';
import { useColor } from './options.ts';

export function registerConfigCommands(program: Command): void {
  const config = program
    .command('config')
    .description("Work with a coupon configuration file: the JSON you PUT to Gameball's /configurations/coupon.");
  registerCheck(config);
  registerPush(config);
  registerInfer(config);
}

interface CheckFlags {
  json?: boolean;
  showSecrets?: boolean;
  color: boolean;
}

/** What `config check --json` prints on stdout. */
export type CheckResult =
  | {
      valid: true;
      file: string;
      notes: string[];
      /** The payload template's problems, as verify's `template` check reports them. */
      template: TemplateFinding[];
      configuration: CouponConfiguration;
      redacted: boolean;
    }
  | { valid: false; file: string; message: string; problems: { field: string; message: string }[] };

function registerCheck(config: Command): void {
  config
    .command('check')
    .description(
      'Validate and normalise a configuration as the harness does: print what changed and why, then the canonical ' +
        'configuration. Exit 0 when valid, 2 otherwise.',
    )
    .argument('<file>', 'the coupon configuration JSON')
    .option('--json', 'print the result as JSON on stdout (the message still goes to stderr when invalid)')
    .option('--show-secrets', 'print credential values of headers and query parameters (redacted by default)')
    .option('--no-color', 'plain output')
    .action(async (file: string, flags: CheckFlags) => {
      let normalised: Awaited<ReturnType<typeof loadConfigurationFile>>;
      try {
        normalised = await loadConfigurationFile(file);
      } catch (error) {
        if (flags.json && error instanceof ConfigError) {
          const result: CheckResult = { valid: false, file, message: error.message, problems: error.problems };
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        }
        throw error; // the CLI edge prints the one-paragraph message and exits 2
      }
      // Valid for Gameball is not yet working: a template without {{code}} is accepted by Gameball
      // and breaks every delivery, so its failures exit 1 (as verify's template check would).
      const template = lintTemplate(normalised.config);
      if (template.some((finding) => finding.severity === 'failure')) process.exitCode = 1;
      const canonical = inContractOrder(normalised.config);
      const shown = flags.showSecrets ? canonical : redactConfiguration(canonical);
      const redacted = JSON.stringify(shown) !== JSON.stringify(canonical);
      if (flags.json) {
        const result: CheckResult = {
          valid: true,
          file,
          notes: normalised.notes,
          template,
          configuration: shown,
          redacted,
        };
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `${describeCheck(file, normalised.notes, template, shown, redacted, useColor(process.stdout, flags.color))}\n`,
      );
    });
}

function describeCheck(
  file: string,
  notes: string[],
  template: TemplateFinding[],
  shown: CouponConfiguration,
  redacted: boolean,
  color: boolean,
): string {
  const bold = color ? pc.bold : (s: string) => s;
  const dim = color ? pc.dim : (s: string) => s;
  const green = color ? pc.green : (s: string) => s;
  const out = [green(`${file} is a valid Gameball coupon configuration.`), ''];
  if (notes.length === 0) {
    out.push('Normalisation changed nothing: the file is already in the canonical shape.');
  } else {
    out.push(bold(`What normalisation changed or assumed, and why (${notes.length}):`));
    for (const note of notes) out.push(`  - ${note}`);
  }
  if (template.length > 0) {
    const red = color ? pc.red : (s: string) => s;
    const yellow = color ? pc.yellow : (s: string) => s;
    out.push('', bold(`The payload template, as Gameball fills it (${template.length}):`));
    for (const finding of template) {
      const paint = finding.severity === 'failure' ? red : yellow;
      out.push(paint(`  - ${finding.severity} [${finding.kind}]: ${finding.message}`));
    }
  }
  out.push('', bold('Canonical configuration (what the harness sends from, and what Gameball stores):'));
  out.push(JSON.stringify(shown, null, 2));
  if (redacted) out.push(dim('(credential values redacted; --show-secrets prints them)'));
  return out.join('\n');
}

/** The properties in the order Gameball's document lists them (normalisation appends what it rewrote). */
function inContractOrder(config: CouponConfiguration): CouponConfiguration {
  const schema = (contractDocument('gameball').components as { schemas: Record<string, { properties: object }> })
    .schemas.CouponConfiguration!;
  const order = Object.keys(schema.properties);
  const entries = Object.entries(config).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  return Object.fromEntries(entries) as CouponConfiguration;
}

/**
 * The configuration with the values of its credential headers and query parameters replaced, as
 * reports show them: the scheme word stays ("Bearer <redacted>") so the shape is still visible.
 */
function redactConfiguration(config: CouponConfiguration): CouponConfiguration {
  const secret = new Set(configuredCredentials(config).map((c) => `${c.kind}:${c.key}`));
  const hide = (kind: 'header' | 'query', key: string, value: string): string => {
    if (!secret.has(`${kind}:${kind === 'header' ? key.toLowerCase() : key}`)) return value;
    const scheme = /^(\w+)\s+\S/.exec(value);
    return scheme ? `${scheme[1]} ${redactedMark}` : redactedMark;
  };
  return {
    ...config,
    ...(config.headers && { headers: config.headers.map((h) => ({ ...h, value: hide('header', h.key, h.value) })) }),
    ...(config.queryParams && {
      queryParams: config.queryParams.map((q) => ({ ...q, value: hide('query', q.key, q.value) })),
    }),
  };
}
