// gb-coupon config: the coupon configuration (the body of Gameball's PUT /configurations/coupon)
// as a file. `check` validates and normalises it exactly as the harness does before every run, and
// says what it changed and why; `push` (sends it to Gameball) is registered beside it.
import type { Command } from 'commander';
import pc from 'picocolors';
import type { CouponConfiguration } from '../core/config/coupon-configuration.ts';
import { loadConfigurationFile } from '../core/config-file/load-configuration.ts';
import { ConfigError } from '../core/errors.ts';
import { lintTemplate, type TemplateFinding } from '../core/lint/lint-template.ts';
import { redactConfiguration } from '../core/redact/redact-credentials.ts';
import { type CodeMode, codeModeOf, describeCodeMode, retryWarning } from '../core/render/code-mode.ts';
import { type TemplatePlaceholders, templatePlaceholders } from '../core/render/placeholders.ts';
import { contractDocument } from '../openapi/contract.ts';
import { registerInfer } from './config-infer.ts';
import { registerPush } from './config-push.ts';
import { useColor } from './options.ts';
import { hideInOutput, redacted, showSecretsInOutput } from './redacted-output.ts';

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
      /** Who makes the code: `gameball` ({{code}} in the template) or `merchant` (none: the merchant generates it). */
      codeMode: CodeMode;
      /** The template's placeholders: documented by Gameball, the kit's own extension, neither. */
      placeholders: TemplatePlaceholders;
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
    .option(
      '--show-secrets',
      "print the values of headers and query parameters, the URL user-info and the payload template's credential members as they are",
    )
    .option('--no-color', 'plain output')
    .action(async (file: string, flags: CheckFlags) => {
      if (flags.showSecrets) showSecretsInOutput();
      let normalised: Awaited<ReturnType<typeof loadConfigurationFile>>;
      try {
        normalised = await loadConfigurationFile(file);
        hideInOutput({ config: normalised.config });
      } catch (error) {
        if (flags.json && error instanceof ConfigError) {
          const result: CheckResult = { valid: false, file, message: error.message, problems: error.problems };
          process.stdout.write(redacted(`${JSON.stringify(result, null, 2)}\n`));
        }
        throw error; // the CLI edge prints the one-paragraph message and exits 2
      }
      // Valid for Gameball is not yet working: a template that does not fill into JSON is accepted
      // by Gameball and breaks every delivery, so its failures exit 1 (as verify's template check would).
      const template = lintTemplate(normalised.config);
      const codeMode = codeModeOf(normalised.config);
      const placeholders = templatePlaceholders(normalised.config);
      if (template.some((finding) => finding.severity === 'failure')) process.exitCode = 1;
      const canonical = inContractOrder(normalised.config);
      const shown = flags.showSecrets ? canonical : redactConfiguration(canonical);
      const hidden = JSON.stringify(shown) !== JSON.stringify(canonical);
      if (flags.json) {
        const result: CheckResult = {
          valid: true,
          file,
          notes: normalised.notes,
          template,
          codeMode,
          placeholders,
          configuration: shown,
          redacted: hidden,
        };
        process.stdout.write(redacted(`${JSON.stringify(result, null, 2)}\n`));
        return;
      }
      const color = useColor(process.stdout, flags.color);
      const about = describeTemplate(codeMode, placeholders);
      process.stdout.write(
        redacted(`${describeCheck(file, normalised.notes, about, template, shown, hidden, color)}\n`),
      );
    });
}

function describeCheck(
  file: string,
  notes: string[],
  about: string[],
  template: TemplateFinding[],
  shown: CouponConfiguration,
  hidden: boolean,
  color: boolean,
): string {
  const bold = color ? pc.bold : (s: string) => s;
  const dim = color ? pc.dim : (s: string) => s;
  const green = color ? pc.green : (s: string) => s;
  const out = [green(`${file} is a valid Gameball coupon configuration.`), ...about, ''];
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
  if (hidden) out.push(dim('(secrets redacted; --show-secrets prints them)'));
  return out.join('\n');
}

/** Who makes the code, and which placeholders the template uses, kept apart by who documents them. */
function describeTemplate(mode: CodeMode, used: TemplatePlaceholders): string[] {
  const list = (names: readonly string[]): string =>
    names.length === 0 ? 'none' : names.map((n) => `{{${n}}}`).join(', ');
  return [
    '',
    `Code: ${describeCodeMode(mode)}`,
    ...(mode === 'merchant' ? [`Warning: ${retryWarning}`] : []),
    `Placeholders documented by Gameball: ${list(used.documented)}.`,
    ...(used.kit.length > 0 ? [`The kit's own extension (not documented by Gameball): ${list(used.kit)}.`] : []),
    ...(used.unknown.length > 0 ? [`Neither (see the template warnings): ${list(used.unknown)}.`] : []),
  ];
}

/** The properties in the order Gameball's document lists them (normalisation appends what it rewrote). */
function inContractOrder(config: CouponConfiguration): CouponConfiguration {
  const schema = (contractDocument('gameball').components as { schemas: Record<string, { properties: object }> })
    .schemas.CouponConfiguration!;
  const order = Object.keys(schema.properties);
  const entries = Object.entries(config).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  return Object.fromEntries(entries) as CouponConfiguration;
}
