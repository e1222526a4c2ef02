// What runLoadTest takes: typed values (the CLI turns its flags into these), each checked here
// before anything is sent, a wrong one a UsageError that names it.
import type { NormalisedConfiguration } from '../../core/config-file/normalise-configuration.ts';
import { UsageError } from '../../core/errors.ts';
import { type ArrivalPlan, constantPlan, type Stage } from './arrivals.ts';
import { defaultMix, type MixEntry } from './mix.ts';
import type { LoadModel } from './run-load.ts';
import type { K6Thresholds } from './run-thresholds.ts';

/**
 * How requests arrive, as k6's executors: a constant arrival rate, a ramping one (stages, the rate
 * moving linearly to each stage's target), or the closed model (`rate: 'max'`: each connection
 * sends its next request as soon as its last one is answered).
 */
export type LoadShape =
  | { rate: number; durationMs: number }
  | { rate: 'max'; durationMs: number }
  | { startRate?: number; stages: readonly Stage[] };

export interface LoadSettings {
  /** Default: 100 requests per second for 30 s. */
  load?: LoadShape;
  /** Connections to the target (default 100); in the open model a request due while all are busy is dropped. */
  connections?: number;
  /**
   * Scenarios by weight: `{ redeem: 3, campaign: 1 }` (the default), or as text, `'redeem=3,campaign=1'`,
   * or as entries of scenarios of your own (a cassette's deliveries: core/replay).
   */
  mix?: string | Readonly<Record<string, number>> | readonly MixEntry[];
  /** A k6 thresholds JSON file; the shipped loadtest/thresholds.json when absent; none with `false`. */
  thresholdsFile?: string | URL | false;
  /** More thresholds, as k6's `options.thresholds`, judged after the file's. */
  thresholds?: K6Thresholds;
  /**
   * After the run, look up every code answered 200 and count those not stored (the threshold
   * `coupons_not_stored: count<1` is added unless one names that metric). `true` looks them up at
   * the reference server's `GET …/coupons/{code}`; elsewhere give `lookup`, a URL template with `{code}`.
   */
  reconcile?: boolean | { lookup: string };
  /** Makes scenarios and codes repeatable; random when absent (the report says which was used). */
  seed?: number;
  /** Time for the whole answer from the send, in ms (default 10,000); later is a timeout. */
  timeoutMs?: number;
  /** For a custom template: the JSON pointer in the answer where the code must be. */
  codePointer?: string;
  /** Sign deliveries with X-GB-Signature using this secret. */
  signingSecret?: string;
}

/** What the run needs besides its settings: the target, and the hooks of a live display. */
export interface LoadRunOptions {
  /**
   * The coupon configuration of the endpoint to load, as PUT to Gameball (any shape verify takes:
   * it is normalised and checked here, a ConfigError when invalid) or already normalised.
   */
  configuration: NormalisedConfiguration | unknown;
  /** Set by the CLI when it started the reference server itself. */
  embedded?: boolean;
  /**
   * More instances of the same endpoint (several processes behind one load balancer), each by its
   * address: scheme, host and port, e.g. `http://10.0.0.2:3000` (the path and query come from the
   * configuration's url). Requests go to the configuration's url and these in turn, each with its
   * share of the connections (so at least one each); `reconcile` reads back through each in turn
   * when its lookup is on the configuration's host. A bad one is a UsageError.
   */
  targets?: readonly string[];
  /** Ends the run early (Ctrl-C): nothing more is sent, the report covers what ran, no reconciliation. */
  signal?: AbortSignal;
  /** Called once everything is checked, just before the first request. */
  onStart?: () => void;
  /** Called once a second with the figures so far. */
  onSecond?: (progress: LoadProgress) => void;
}

export type LoadTestOptions = LoadSettings & LoadRunOptions;

export interface LoadProgress {
  elapsedMs: number;
  plannedMs: number;
  sent: number;
  p95Ms: number;
  failures: number;
  dropped: number;
}

export const loadDefaults = { rate: 100, durationMs: 30_000, connections: 100, mix: defaultMix, timeoutMs: 10_000 };

/** The run's model from its shape, every number checked. */
export function loadModelOf(shape: LoadShape | undefined): LoadModel {
  if (shape === undefined) return { kind: 'open', plan: constantPlan(loadDefaults.rate, loadDefaults.durationMs) };
  if ('stages' in shape) {
    if ('rate' in shape || 'durationMs' in shape) {
      throw new UsageError('load takes {rate, durationMs} or {startRate, stages}: stages set the rate and duration.');
    }
    return { kind: 'open', plan: rampPlan(shape.startRate ?? 0, shape.stages) };
  }
  checkNumber('load.durationMs', shape.durationMs, 1, Number.MAX_SAFE_INTEGER);
  if (shape.rate === 'max') return { kind: 'max', durationMs: shape.durationMs };
  checkNumber('load.rate', shape.rate, Number.MIN_VALUE, 1_000_000);
  return { kind: 'open', plan: constantPlan(shape.rate, shape.durationMs) };
}

function rampPlan(startRate: number, stages: readonly Stage[]): ArrivalPlan {
  checkNumber('load.startRate', startRate, 0, 1_000_000);
  if (stages.length === 0)
    throw new UsageError('load.stages needs at least one stage, such as {durationMs: 30000, target: 200}.');
  stages.forEach((stage, i) => {
    checkNumber(`load.stages[${i}].durationMs`, stage.durationMs, 0, Number.MAX_SAFE_INTEGER);
    checkNumber(`load.stages[${i}].target`, stage.target, 0, 1_000_000);
  });
  return { startRate, stages: stages.map(({ durationMs, target }) => ({ durationMs, target })) };
}

/** A whole number in [min, max], or a UsageError naming the option. */
export function checkWholeNumber(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}; got ${value}.`);
  }
  return value;
}

function checkNumber(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const floor = min === Number.MIN_VALUE ? 'above 0' : `from ${min}`;
    throw new UsageError(`${name} must be a number ${floor} up to ${max}; got ${String(value)}.`);
  }
}
