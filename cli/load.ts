// gb-coupon load: an open-model load test of the endpoint a coupon configuration points at, with
// k6's thresholds, summary and exit codes (99 when a threshold is crossed, 1 when the target could
// not be reached at all, 2 for bad arguments) and the contract checked on every answer.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CouponConfiguration } from '../core/config/coupon-configuration.ts';
import { loadConfigurationFile } from '../core/config-file/load-configuration.ts';
import { UsageError } from '../core/errors.ts';
import { parseReportFormats } from '../core/report/report-formats.ts';
import { isEnabled, randomSeed } from '../core/scenarios/scenarios.ts';
import { tool } from '../core/tool.ts';
import {
  type ArrivalPlan,
  constantPlan,
  describePlan,
  parseStages,
  planDurationMs,
} from '../loadtest/runner/arrivals.ts';
import { formatDurationK6, parseDuration } from '../loadtest/runner/duration.ts';
import { buildLoadReport, exitCodeOf } from '../loadtest/runner/load-report.ts';
import { defaultMix, parseMix } from '../loadtest/runner/mix.ts';
import { createProgressLine } from '../loadtest/runner/progress.ts';
import { lookupTemplate, type Reconciliation, reconcile } from '../loadtest/runner/reconcile.ts';
import { type LoadModel, runLoad } from '../loadtest/runner/run-load.ts';
import { formatSummary } from '../loadtest/runner/summary-text.ts';
import { defaultThresholdsFile, loadThresholdsFile, parseThreshold } from '../loadtest/runner/thresholds.ts';
import { writeLoadReports } from '../loadtest/runner/write-load-reports.ts';
import { jsonPointer, useColor, wholeNumber } from './options.ts';
import { prepareOutDir, unwritable } from './report-dir.ts';

interface LoadFlags {
  config?: string;
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
  color: boolean;
}

const defaultRate = 100;
const defaultDuration = '30s';

export function registerLoad(program: Command): void {
  program
    .command('load')
    .description(
      'Load-test the endpoint a coupon configuration points at: requests at a fixed or ramping arrival rate (open model, like k6 arrival-rate scenarios), every answer judged against the contract, k6 thresholds (exit 99 when one is crossed). Without --config, loads the built-in reference server.',
    )
    .option('-c, --config <file>', 'the coupon configuration JSON you PUT to Gameball (/configurations/coupon)')
    .option('--rate <r>', `requests per second (open model), or "max" for the closed model (default ${defaultRate})`)
    .option('--duration <d>', `how long, as k6 writes durations: 30s, 2m, 1m30s (default ${defaultDuration})`)
    .option(
      '--stages <list>',
      'ramping arrival rate as duration:rate pairs, e.g. 10s:100,30s:500,10s:0 (starts from --rate, else 0)',
    )
    .option(
      '--connections <n>',
      'connections to the target; a request due while all are busy is dropped',
      wholeNumber('--connections', 1, 10_000),
      100,
    )
    .option('--mix <list>', 'scenarios by weight, e.g. redeem=3,campaign=1', defaultMix)
    .option('--thresholds <file>', 'k6 thresholds JSON (default: the shipped loadtest/thresholds.json)')
    .option('--reconcile', 'after the run, look up every code answered 200 and count those not stored')
    .option('--lookup <template>', 'URL template for --reconcile, e.g. https://shop.example/coupons/{code}')
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
      10_000,
    )
    .option('--code-pointer <pointer>', 'custom templates: JSON pointer to the coupon code in the answer', jsonPointer)
    .option('--signing-secret <secret>', "sign deliveries with X-GB-Signature (Gameball's webhook scheme)")
    .option('--no-color', 'plain output')
    .action(async (flags: LoadFlags) => {
      // Every usage mistake is reported before anything is started.
      const model = loadModel(flags);
      const mix = parseMix(flags.mix);
      const thresholdsSource = flags.thresholds ?? fileURLToPath(defaultThresholdsFile);
      const thresholds = await loadThresholdsFile(thresholdsSource);
      if (flags.reconcile && !thresholds.some((t) => t.metric === 'coupons_not_stored')) {
        thresholds.push(parseThreshold('coupons_not_stored', 'count<1', '--reconcile'));
      }
      if (flags.lookup !== undefined && !flags.reconcile)
        throw new UsageError('--lookup is for --reconcile; add --reconcile.');
      const formats = flags.report ? parseReportFormats(flags.report) : [];
      if (formats.length > 0) await prepareOutDir(flags.out);
      const seed = flags.seed ?? randomSeed();
      const color = useColor(process.stdout, flags.color);

      const stop = new AbortController();
      const onSignal = (signal: NodeJS.Signals): void => {
        // The first Ctrl-C ends the run and still writes its reports; a second one quits at once.
        if (stop.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const target = await openTarget(flags);
      try {
        const config = target.config;
        for (const { scenario } of mix) {
          if (!isEnabled(config, scenario)) {
            throw new UsageError(
              `--mix names ${scenario.id}, but the configuration disables ${scenario.couponKind} coupons; leave it out of --mix.`,
            );
          }
        }
        const lookup = flags.reconcile ? lookupTemplate(config, flags.lookup) : undefined;
        const mixText = Object.fromEntries(mix.map((e) => [e.scenario.id, e.weight]));
        const description =
          model.kind === 'open' ? describePlan(model.plan) : `max rate for ${formatDurationK6(model.durationMs)}`;
        process.stdout.write(
          `gb-coupon load: ${config.method} ${config.url}${target.embedded ? ' (the built-in reference server, temporary database)' : ''}\n` +
            `  ${model.kind === 'open' ? 'open model' : 'closed model'}, ${description}, ${flags.connections} connections, mix ${flags.mix}, seed ${seed}\n` +
            `  thresholds: ${relative(process.cwd(), thresholdsSource) || thresholdsSource}\n`,
        );
        for (const note of target.notes) process.stdout.write(`  note: ${note}\n`);
        const progress = createProgressLine(
          process.stderr,
          model.kind === 'open' ? planDurationMs(model.plan) : model.durationMs,
        );
        const run = await runLoad({
          config,
          model,
          connections: flags.connections,
          mix,
          seed,
          timeoutMs: flags.timeout,
          ...(flags.codePointer !== undefined ? { codePointer: flags.codePointer } : {}),
          ...(flags.signingSecret ? { signingSecret: flags.signingSecret } : {}),
          thresholds,
          keepCodes: Boolean(flags.reconcile),
          signal: stop.signal,
          onSecond: (metrics, elapsed) => progress.update(metrics, elapsed),
        });
        progress.end();
        let reconciliation: Reconciliation | undefined;
        if (lookup && !stop.signal.aborted) {
          reconciliation = await reconcile(config, lookup, run.acknowledgedCodes, {
            connections: flags.connections,
            timeoutMs: flags.timeout,
          });
        }
        const report = buildLoadReport(
          run,
          {
            tool,
            target: { url: config.url, method: config.method, embedded: target.embedded },
            seed,
            load: { model: model.kind, description, connections: flags.connections, mix: mixText },
            thresholds: reconciliation ? thresholds : thresholds.filter((t) => t.metric !== 'coupons_not_stored'),
          },
          reconciliation,
        );
        process.stdout.write(formatSummary(report, { color }));
        if (formats.length > 0) {
          const written = await writeLoadReports(report, { formats, outDir: flags.out }).catch(
            (error: NodeJS.ErrnoException) => {
              throw error.code ? unwritable(flags.out, error) : error;
            },
          );
          process.stdout.write(`Reports: ${written.join(', ')}\n`);
        }
        process.exitCode = run.stoppedBy?.reason === 'interrupted' ? 130 : exitCodeOf(report);
      } finally {
        await target.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

function loadModel(flags: LoadFlags): LoadModel {
  const max = flags.rate?.trim().toLowerCase() === 'max';
  const rate = flags.rate === undefined || max ? undefined : positiveRate(flags.rate);
  if (flags.stages !== undefined) {
    if (max)
      throw new UsageError('--rate max is the closed model and has no stages; drop --stages or give a starting rate.');
    if (flags.duration !== undefined) {
      throw new UsageError('--stages sets the duration itself (the sum of its stages); drop --duration.');
    }
    const plan: ArrivalPlan = { startRate: rate ?? 0, stages: parseStages(flags.stages) };
    return { kind: 'open', plan };
  }
  const durationMs = parseDuration(flags.duration ?? defaultDuration, '--duration');
  if (durationMs < 1) throw new UsageError(`--duration must be at least 1ms; got "${flags.duration}".`);
  if (max) return { kind: 'max', durationMs };
  return { kind: 'open', plan: constantPlan(rate ?? defaultRate, durationMs) };
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

interface OpenTarget {
  config: CouponConfiguration;
  notes: string[];
  embedded: boolean;
  close(): Promise<void>;
}

/** The configured endpoint, or the reference server in-process with a temporary database. */
async function openTarget(flags: LoadFlags): Promise<OpenTarget> {
  if (flags.config) {
    const { config, notes } = await loadConfigurationFile(flags.config);
    return { config, notes, embedded: false, close: async () => undefined };
  }
  const { startEmbeddedTarget } = await import('./embedded-target.ts');
  const embedded = await startEmbeddedTarget(flags.signingSecret ? { signingSecret: flags.signingSecret } : {});
  return { config: embedded.configuration, notes: [], embedded: true, close: () => embedded.close() };
}
