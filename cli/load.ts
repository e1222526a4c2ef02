// gb-coupon load: an open-model load test of the endpoint a coupon configuration points at, with
// k6's thresholds, summary and exit codes (99 when a threshold is crossed, 1 when the target could
// not be reached at all, 2 for bad arguments) and the contract checked on every answer. The test
// itself is the library's runLoadTest (gameball-coupon-kit/load); this parses flags and prints.
import { relative } from 'node:path';
import type { Command } from 'commander';
import type { ShippedTemplate } from '../core/config/default-configuration.ts';
import { defaultConfiguration } from '../core/config/default-configuration.ts';
import { loadConfigurationFile } from '../core/config-file/load-configuration.ts';
import type { NormalisedConfiguration } from '../core/config-file/normalise-configuration.ts';
import { UsageError } from '../core/errors.ts';
import { instancesOf } from '../core/http/instances.ts';
import { codeModeOf, retryWarning } from '../core/render/code-mode.ts';
import { parseReportFormats } from '../core/report/report-formats.ts';
import { parseStages } from '../loadtest/runner/arrivals.ts';
import { formatDurationK6, parseDuration } from '../loadtest/runner/duration.ts';
import { loadExitCode } from '../loadtest/runner/load-report.ts';
import { type LoadSettings, type LoadShape, loadDefaults } from '../loadtest/runner/load-test-options.ts';
import type { MixEntry } from '../loadtest/runner/mix.ts';
import { createProgressLine } from '../loadtest/runner/progress.ts';
import { type LoadTest, prepareLoadTest } from '../loadtest/runner/run-load-test.ts';
import { formatLoadSummary } from '../loadtest/runner/summary-text.ts';
import { writeLoadReports } from '../loadtest/runner/write-load-reports.ts';
import { jsonPointer, targetOption, targetsNeedConfig, templateOption, useColor, wholeNumber } from './options.ts';
import { hideInOutput, redacted, redactedDeep } from './redacted-output.ts';
import { readRecorded, replayPlan } from './replay.ts';
import { prepareOutDir, unwritable } from './report-dir.ts';
import { withTarget } from './target.ts';

interface LoadFlags {
  config?: string;
  template?: ShippedTemplate;
  rate?: string;
  duration?: string;
  stages?: string;
  connections: number;
  mix: string;
  thresholds?: string;
  reconcile?: boolean;
  lookup?: string;
  report?: string;
  out: string;
  seed?: number;
  timeout: number;
  codePointer?: string;
  signingSecret?: string;
  target: string[];
  replay?: string;
  color: boolean;
}

const defaultDuration = formatDurationK6(loadDefaults.durationMs);

export function registerLoad(program: Command): void {
  program
    .command('load')
    .description(
      'Load-test the endpoint a coupon configuration points at: requests at a fixed or ramping arrival rate (open model, like k6 arrival-rate scenarios), every answer judged against the contract, k6 thresholds (exit 99 when one is crossed). Without --config, loads the built-in reference server.',
    )
    .option('-c, --config <file>', 'the coupon configuration JSON you PUT to Gameball (/configurations/coupon)')
    .addOption(templateOption())
    .option(
      '--rate <r>',
      `requests per second (open model), or "max" for the closed model (default ${loadDefaults.rate})`,
    )
    .option('--duration <d>', `how long, as k6 writes durations: 30s, 2m, 1m30s (default ${defaultDuration})`)
    .option(
      '--stages <list>',
      'ramping arrival rate as duration:rate pairs, e.g. 10s:100,30s:500,10s:0 (starts from --rate, else 0)',
    )
    .option(
      '--connections <n>',
      'connections to the target; a request due while all are busy is dropped',
      wholeNumber('--connections', 1, 10_000),
      loadDefaults.connections,
    )
    .option('--mix <list>', 'scenarios by weight, e.g. redeem=3,campaign=1', loadDefaults.mix)
    .option('--thresholds <file>', 'k6 thresholds JSON (default: the shipped loadtest/thresholds.json)')
    .addOption(targetOption())
    .option('--reconcile', 'after the run, look up every code answered 200 and count those not stored')
    .option(
      '--lookup <template>',
      "URL template for --reconcile, e.g. https://shop.example/coupons/{code} (on the configuration's host: read through each --target in turn)",
    )
    .option('--report <formats>', 'also write reports: json, junit, html (comma-separated)')
    .option('--out <dir>', 'where --report writes', 'gb-coupon-load')
    .option(
      '--seed <n>',
      'seed for scenarios and codes, to repeat a run exactly',
      wholeNumber('--seed', 0, 2 ** 31 - 1),
    )
    .option(
      '--timeout <ms>',
      'time for the whole answer, from the send (k6 timeout); later is a timeout',
      wholeNumber('--timeout', 1),
      loadDefaults.timeoutMs,
    )
    .option('--code-pointer <pointer>', 'custom templates: JSON pointer to the coupon code in the answer', jsonPointer)
    .option('--signing-secret <secret>', "sign deliveries with X-GB-Signature (Gameball's webhook scheme)")
    .option(
      '--replay <cassette>',
      'use the deliveries of a cassette (gb-coupon record) as the mix, each by how often it was recorded',
    )
    .option('--no-color', 'plain output')
    .action((flags: LoadFlags) => runLoadCommand(flags));
}

async function runLoadCommand(flags: LoadFlags): Promise<void> {
  hideInOutput({ lookup: flags.lookup, signingSecret: flags.signingSecret });
  // Every usage mistake is reported before anything is started.
  if (flags.lookup !== undefined && !flags.reconcile) {
    throw new UsageError('--lookup is for --reconcile; add --reconcile.');
  }
  targetsNeedConfig(flags.target, flags.config);
  const mix = flags.replay === undefined ? undefined : await replayMix(flags);
  const test = await prepareLoadTest({ ...loadSettings(flags), ...(mix && { mix }) });
  const formats = flags.report ? parseReportFormats(flags.report) : [];
  if (formats.length > 0) await prepareOutDir(flags.out);
  const color = useColor(process.stdout, flags.color);
  // The first Ctrl-C ends the run, which still prints and writes its reports; a second one quits at once.
  const stop = new AbortController();
  const target = {
    configFile: flags.config,
    signingSecret: flags.signingSecret,
    template: flags.template,
    interrupt: stop,
  };
  await withTarget(target, async ({ configuration, embedded }) => {
    const progress = createProgressLine(process.stderr);
    const report = await test.run({
      configuration,
      embedded,
      ...(flags.target.length > 0 ? { targets: flags.target } : {}),
      signal: stop.signal,
      onStart: () => printPlan(test, configuration, embedded, flags.target),
      onSecond: (figures) => progress.update(figures),
    });
    progress.end();
    process.stdout.write(redacted(formatLoadSummary(report, { color })));
    if (formats.length > 0) {
      const written = await writeLoadReports(redactedDeep(report), { formats, outDir: flags.out }).catch(
        (error: NodeJS.ErrnoException) => {
          throw error.code ? unwritable(flags.out, error) : error;
        },
      );
      process.stdout.write(`Reports: ${written.join(', ')}\n`);
    }
    process.exitCode = loadExitCode(report);
  });
}

/** --replay: the cassette's deliveries as the mix, read through the configuration (or the embedded server's). */
async function replayMix(flags: LoadFlags): Promise<MixEntry[]> {
  if (flags.mix !== loadDefaults.mix)
    throw new UsageError('--replay makes the recorded deliveries the mix; drop --mix.');
  const recorded = await readRecorded(flags.replay!, '--replay', false);
  const config = flags.config
    ? (await loadConfigurationFile(flags.config)).config
    : defaultConfiguration('http://reference.invalid/coupons', 'replay');
  const plan = replayPlan(recorded, config, (line) => void process.stdout.write(`${line}\n`));
  return plan.scenarios.map((scenario, i) => ({ scenario, weight: plan.weights[i]! }));
}

function loadSettings(flags: LoadFlags): LoadSettings {
  return {
    load: loadShape(flags),
    connections: flags.connections,
    mix: flags.mix,
    ...(flags.thresholds !== undefined ? { thresholdsFile: flags.thresholds } : {}),
    ...(flags.reconcile ? { reconcile: flags.lookup === undefined ? true : { lookup: flags.lookup } } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    timeoutMs: flags.timeout,
    ...(flags.codePointer !== undefined ? { codePointer: flags.codePointer } : {}),
    ...(flags.signingSecret ? { signingSecret: flags.signingSecret } : {}),
  };
}

function loadShape(flags: LoadFlags): LoadShape {
  const max = flags.rate?.trim().toLowerCase() === 'max';
  const rate = flags.rate === undefined || max ? undefined : positiveRate(flags.rate);
  if (flags.stages !== undefined) {
    if (max)
      throw new UsageError('--rate max is the closed model and has no stages; drop --stages or give a starting rate.');
    if (flags.duration !== undefined) {
      throw new UsageError('--stages sets the duration itself (the sum of its stages); drop --duration.');
    }
    return { startRate: rate ?? 0, stages: parseStages(flags.stages) };
  }
  const durationMs = parseDuration(flags.duration ?? defaultDuration, '--duration');
  if (durationMs < 1) throw new UsageError(`--duration must be at least 1ms; got "${flags.duration}".`);
  return max ? { rate: 'max', durationMs } : { rate: rate ?? loadDefaults.rate, durationMs };
}

function positiveRate(text: string): number {
  const rate = Number(text);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text) || !(rate > 0) || rate > 1_000_000) {
    throw new UsageError(
      `--rate takes requests per second (a number above 0), or "max" for the closed model; got "${text}".`,
    );
  }
  return rate;
}

/** What is about to run, as k6 prints it before a test; the Ctrl-C handler is in place by now. */
function printPlan(
  test: LoadTest,
  configuration: NormalisedConfiguration,
  embedded: boolean,
  targets: readonly string[],
): void {
  const { config, notes } = configuration;
  const model = test.model.kind === 'open' ? 'open model' : 'closed model';
  const mix = test.mix.map((e) => `${e.scenario.id}=${e.weight}`).join(',');
  const thresholds = test.thresholdsFile ? relative(process.cwd(), test.thresholdsFile) || test.thresholdsFile : 'none';
  process.stdout.write(
    redacted(
      `gb-coupon load: ${config.method} ${config.url}${embedded ? ' (the built-in reference server, temporary database)' : ''}\n` +
        `  ${model}, ${test.description}, ${test.connections} connections, mix ${mix}, seed ${test.seed}\n` +
        `  thresholds: ${thresholds}\n`,
    ),
  );
  if (targets.length > 0) {
    const instances = instancesOf(config.url, targets);
    process.stdout.write(redacted(`  round-robin across ${instances.length} instances: ${instances.join(', ')}\n`));
  }
  if (codeModeOf(config) === 'merchant') {
    process.stdout.write(`  codes: made by the merchant (no {{code}}); a code given twice counts in duplicate_codes\n`);
  }
  for (const note of [...(codeModeOf(config) === 'merchant' ? [retryWarning] : []), ...notes]) {
    process.stdout.write(redacted(`  note: ${note}\n`));
  }
}
