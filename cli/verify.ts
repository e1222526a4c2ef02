// gb-coupon verify: judge a merchant endpoint as Gameball would call it. Exit 0 when no check
// fails (warnings are advice, unless --strict), 1 when any fails, 2 for a configuration or tool error.
import type { Command } from 'commander';
import type { ShippedTemplate } from '../core/config/default-configuration.ts';
import { parseReportFormats } from '../core/report/report-formats.ts';
import { createConsoleStream } from '../harness/report/console.ts';
import { checkIds, type VerifyOptions, verify } from '../harness/run/verify.ts';
import {
  idList,
  jsonPointer,
  maxBodyOption,
  targetOption,
  targetsNeedConfig,
  templateOption,
  useColor,
  wholeNumber,
} from './options.ts';
import { hideInOutput, redacted, showSecretsInOutput } from './redacted-output.ts';
import { readRecorded, replayPlan } from './replay.ts';
import { prepareOutDir, writeRunReports } from './report-dir.ts';
import { interrupted, withTarget } from './target.ts';

const say = (line: string): void => void process.stdout.write(`${line}\n`);

interface VerifyFlags {
  config?: string;
  report?: string;
  out: string;
  seed?: number;
  latencyBudget: number;
  only?: string[];
  timeout: number;
  maxBody: number;
  codePointer?: string;
  signingSecret?: string;
  showSecrets?: boolean;
  strict?: boolean;
  lookup?: string;
  target: string[];
  template?: ShippedTemplate;
  replay?: string;
  color: boolean;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'Replay the deliveries Gameball sends (redeem, campaign, free shipping, free product, test connection) against the endpoint a coupon configuration points at, and judge every answer. Without --config, verifies the built-in reference server.',
    )
    .option('-c, --config <file>', 'the coupon configuration JSON you PUT to Gameball (/configurations/coupon)')
    .addOption(templateOption())
    .option('--report <formats>', 'also write reports: json, junit, html (comma-separated)')
    .option('--out <dir>', 'where --report writes', 'gb-coupon-report')
    .option('--seed <n>', 'seed for codes and choices, to repeat a run exactly', wholeNumber('--seed', 0, 2 ** 31 - 1))
    .option('--latency-budget <ms>', 'p95 latency budget in ms', wholeNumber('--latency-budget', 1), 1000)
    .option('--only <ids>', `run only these checks (${checkIds().join(', ')})`, idList)
    .option('--timeout <ms>', 'per-request timeout in ms', wholeNumber('--timeout', 1), 10_000)
    .addOption(maxBodyOption())
    .option(
      '--code-pointer <pointer>',
      'custom templates: JSON pointer to the coupon code in the answer, e.g. /data/code',
      jsonPointer,
    )
    .option('--signing-secret <secret>', "sign deliveries with X-GB-Signature (Gameball's webhook scheme)")
    .option(
      '--show-secrets',
      'print and write secrets as they are: header and query values, URL user-info, credential members of the payload, signing secret, lookup credentials',
    )
    .option('--strict', 'warnings (advice, e.g. plain-text error bodies) fail the run too')
    .option(
      '--lookup <request>',
      "read back stored coupons after idempotency, concurrency and bad-input, e.g. 'GET https://shop.example/coupons/{code}' (automatic for the embedded server)",
    )
    .addOption(targetOption())
    .option(
      '--replay <cassette>',
      "send the deliveries of a cassette (gb-coupon record) instead of the built-in scenarios, with fresh codes and the configuration's headers",
    )
    .option('--no-color', 'plain output')
    .action(runVerify);
}

async function runVerify(flags: VerifyFlags): Promise<void> {
  // The report options are the CLI's own, checked before anything starts; verify() checks the rest
  // (--only, --lookup) before it sends anything, and its UsageError exits 2 like these.
  targetsNeedConfig(flags.target, flags.config);
  if (flags.showSecrets) showSecretsInOutput();
  hideInOutput({ lookup: flags.lookup, signingSecret: flags.signingSecret });
  const formats = flags.report ? parseReportFormats(flags.report) : [];
  if (formats.length > 0) await prepareOutDir(flags.out);
  const recorded = flags.replay === undefined ? undefined : await readRecorded(flags.replay, '--replay', false);
  // After Ctrl-C the run goes on against a closed server until the process exits: none of
  // that may reach the screen or a report.
  const live = createConsoleStream((text) => void (interrupted() || process.stdout.write(redacted(text))), {
    color: useColor(process.stdout, flags.color),
    checkIds: checkIds(),
  });
  const report = await withTarget(
    { configFile: flags.config, signingSecret: flags.signingSecret, template: flags.template },
    ({ configuration, embedded }) =>
      verify(configuration, {
        ...verifyOptions(flags, embedded, configuration.config.url),
        ...(recorded && { scenarios: replayPlan(recorded, configuration.config, say).scenarios }),
        // Printed as the run goes: against a slow endpoint the whole run can take a while.
        onStart: (header) => live.start(header),
        onCheck: (check) => live.check(check),
      }),
  );
  live.finish(report);
  if (!interrupted()) await writeRunReports(report, formats, flags.out);
  process.exitCode = report.outcome === 'failed' ? 1 : 0;
}

function verifyOptions(flags: VerifyFlags, embedded: boolean, url: string): VerifyOptions {
  // The reference server reads its coupons back at GET /coupons/{code}.
  const lookup = flags.lookup ?? (embedded ? `GET ${url}/{code}` : undefined);
  return {
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    latencyBudgetMs: flags.latencyBudget,
    ...(flags.only ? { only: flags.only } : {}),
    timeoutMs: flags.timeout,
    maxBodyBytes: flags.maxBody,
    ...(flags.codePointer !== undefined ? { codePointer: flags.codePointer } : {}),
    ...(flags.signingSecret ? { signingSecret: flags.signingSecret } : {}),
    embedded,
    ...(flags.showSecrets ? { showSecrets: true } : {}),
    ...(flags.strict ? { strict: true } : {}),
    ...(lookup ? { lookup } : {}),
    ...(flags.target.length > 0 ? { targets: flags.target } : {}),
  };
}
