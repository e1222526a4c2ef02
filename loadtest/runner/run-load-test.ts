// The load test as a library. prepareLoadTest checks the settings and reads the thresholds (a
// UsageError for the first mistake, before anything is started); its run() loads the configured
// endpoint, reconciles when asked and builds the report. An endpoint that fails, is slow or cannot
// be reached is an outcome, never an exception: the report says so (`passed: false`).
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { isNormalised, normaliseConfiguration } from '../../core/config-file/normalise-configuration.ts';
import { UsageError } from '../../core/errors.ts';
import { instancesOf } from '../../core/http/instances.ts';
import { redactorFor } from '../../core/redact/secret-values.ts';
import { codeModeOf } from '../../core/render/code-mode.ts';
import { isEnabled, randomSeed } from '../../core/scenarios/scenarios.ts';
import { tool } from '../../core/tool.ts';
import { describePlan, planDurationMs } from './arrivals.ts';
import { formatDurationK6 } from './duration.ts';
import { buildLoadReport, type LoadReport } from './load-report.ts';
import {
  checkWholeNumber,
  type LoadProgress,
  type LoadRunOptions,
  type LoadSettings,
  type LoadTestOptions,
  loadDefaults,
  loadModelOf,
} from './load-test-options.ts';
import type { LoadMetrics } from './metrics.ts';
import { type MixEntry, parseMix } from './mix.ts';
import { lookupTemplate, reconcile } from './reconcile.ts';
import { type LoadModel, runLoad } from './run-load.ts';
import { thresholdsToJudge } from './run-thresholds.ts';
import { parseThreshold, type Threshold } from './thresholds.ts';

/** A checked load test: what it will do, and run() to do it. */
export interface LoadTest {
  readonly model: LoadModel;
  /** e.g. `200/s for 10s`, `max rate for 10s`. */
  readonly description: string;
  readonly plannedMs: number;
  readonly connections: number;
  readonly mix: readonly MixEntry[];
  readonly seed: number;
  /** The thresholds judged, in the order they are reported. */
  readonly thresholds: readonly Threshold[];
  /** The file the thresholds were read from. */
  readonly thresholdsFile?: string;
  /** Runs the test against a target; again runs it again, with the same seed (so the same codes). */
  run(options: LoadRunOptions): Promise<LoadReport>;
}

/** Loads the endpoint a coupon configuration points at and resolves to the report, whatever the endpoint does. */
export async function runLoadTest(options: LoadTestOptions): Promise<LoadReport> {
  return (await prepareLoadTest(options)).run(options);
}

export async function prepareLoadTest(settings: LoadSettings = {}): Promise<LoadTest> {
  const model = loadModelOf(settings.load);
  const connections = checkWholeNumber('connections', settings.connections ?? loadDefaults.connections, 1, 10_000);
  checkWholeNumber('timeoutMs', settings.timeoutMs ?? loadDefaults.timeoutMs, 1, 2_147_483_647);
  const seed = settings.seed === undefined ? randomSeed() : checkWholeNumber('seed', settings.seed, 0, 2 ** 31 - 1);
  const mix = isEntries(settings.mix) ? checkedEntries(settings.mix) : parseMix(mixText(settings.mix));
  const { thresholds, file } = await thresholdsToJudge({
    file: settings.thresholdsFile,
    extra: settings.thresholds,
    reconcile: Boolean(settings.reconcile),
  });
  const test: Omit<LoadTest, 'run'> = {
    model,
    description:
      model.kind === 'open' ? describePlan(model.plan) : `max rate for ${formatDurationK6(model.durationMs)}`,
    plannedMs: model.kind === 'open' ? planDurationMs(model.plan) : model.durationMs,
    connections,
    mix,
    seed,
    thresholds,
    ...(file === undefined ? {} : { thresholdsFile: file }),
  };
  return { ...test, run: (options) => runChecked(test, settings, options) };
}

async function runChecked(
  test: Omit<LoadTest, 'run'>,
  settings: LoadSettings,
  options: LoadRunOptions,
): Promise<LoadReport> {
  const { configuration } = options;
  const { config } = isNormalised(configuration) ? configuration : normaliseConfiguration(configuration);
  checkMixEnabled(test.mix, config);
  const instances = instancesOf(config.url, options.targets);
  if (test.connections < instances.length) {
    throw new UsageError(
      `The run has ${test.connections} connection(s) for ${instances.length} instances: each instance needs one at least; raise --connections.`,
    );
  }
  const { reconcile: reconciling } = settings;
  const lookup = reconciling
    ? lookupTemplate(config, reconciling === true ? undefined : reconciling.lookup)
    : undefined;
  const timeoutMs = settings.timeoutMs ?? loadDefaults.timeoutMs;
  const codeMode = codeModeOf(config);
  const thresholds = withDuplicateCodes(test.thresholds, codeMode === 'merchant');
  options.onStart?.();
  const run = await runLoad({
    config,
    model: test.model,
    connections: test.connections,
    mix: test.mix,
    seed: test.seed,
    timeoutMs,
    ...(settings.codePointer !== undefined ? { codePointer: settings.codePointer } : {}),
    ...(settings.signingSecret ? { signingSecret: settings.signingSecret } : {}),
    thresholds,
    keepCodes: lookup !== undefined,
    instances,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onSecond ? { onSecond: progressOf(options.onSecond, test.plannedMs) } : {}),
  });
  // Ctrl-C means stop now: the codes are not looked up.
  const reconciliation =
    lookup && !options.signal?.aborted
      ? await reconcile(config, lookup, run.acknowledgedCodes, {
          connections: test.connections,
          timeoutMs,
          instances,
          answeredBy: run.acknowledgedBy,
        })
      : undefined;
  const target = { url: config.url, method: config.method, embedded: options.embedded ?? false, codeMode };
  const mix = Object.fromEntries(test.mix.map((e) => [e.scenario.id, e.weight]));
  const load = { model: test.model.kind, description: test.description, connections: test.connections, mix };
  const report = buildLoadReport(run, { tool, target, seed: test.seed, load, thresholds }, reconciliation);
  // The target's answers and the lookup's errors may quote a secret; a report travels.
  return redactorFor({ config, signingSecret: settings.signingSecret, lookup }).deep(report);
}

/**
 * When the merchant makes the codes, a code given to two deliveries fails the run: `duplicate_codes:
 * count<1` is judged unless a threshold already names the metric.
 */
function withDuplicateCodes(thresholds: readonly Threshold[], merchantCodes: boolean): readonly Threshold[] {
  if (!merchantCodes || thresholds.some((t) => t.metric === 'duplicate_codes')) return thresholds;
  return [...thresholds, parseThreshold('duplicate_codes', 'count<1', 'the merchant-code mode')];
}

function checkMixEnabled(mix: readonly MixEntry[], config: CouponConfiguration): void {
  for (const { scenario } of mix) {
    if (!isEnabled(config, scenario)) {
      throw new UsageError(
        `The mix names ${scenario.id}, but the configuration disables ${scenario.couponKind} coupons; leave it out of the mix (--mix).`,
      );
    }
  }
}

/** The runner's per-second call as the figures a live display shows. */
function progressOf(
  onSecond: (progress: LoadProgress) => void,
  plannedMs: number,
): (metrics: LoadMetrics, elapsedMs: number) => void {
  return (metrics, elapsedMs) =>
    onSecond({
      elapsedMs,
      plannedMs,
      sent: metrics.sent,
      p95Ms: metrics.percentile(95),
      failures: metrics.failures,
      dropped: metrics.dropped,
    });
}

function isEntries(mix: LoadSettings['mix']): mix is readonly MixEntry[] {
  return Array.isArray(mix);
}

/** A mix given as entries: each with a scenario, some weight above 0. */
function checkedEntries(mix: readonly MixEntry[]): MixEntry[] {
  if (!mix.some((entry) => entry.weight > 0) || mix.some((entry) => !(entry.weight >= 0) || !entry.scenario)) {
    throw new UsageError('mix needs entries of {scenario, weight}, at least one with a weight above 0.');
  }
  return [...mix];
}

/** The mix as `--mix` writes it, so that one parser checks every form. */
function mixText(mix: Exclude<LoadSettings['mix'], readonly MixEntry[]>): string {
  if (mix === undefined) return loadDefaults.mix;
  if (typeof mix === 'string') return mix;
  return Object.entries(mix)
    .map(([id, weight]) => `${id}=${weight}`)
    .join(',');
}
