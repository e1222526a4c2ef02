// Thresholds as k6 writes them: `{"http_req_duration": ["p(95)<250"], "checks": ["rate>0.999"]}`,
// each expression `aggregation operator value`. The grammar is small, so it is parsed here, with
// k6's rules: the aggregation must suit the metric's type (a Trend has no `rate`), percentiles lie
// in 0..100, and anything else is refused by name.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../core/errors.ts';
import { parseDuration } from './duration.ts';

type MetricType = 'trend' | 'rate' | 'counter';
type Aggregation = 'avg' | 'min' | 'max' | 'med' | 'percentile' | 'rate' | 'count';
type Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

/**
 * The metrics a threshold can name: k6's built-ins the runner measures, plus reconciliation's
 * (coupons_not_stored) and the merchant-code mode's (duplicate_codes: answers whose code another
 * delivery already got; the k6 scripts count it per VU).
 */
export const metricTypes = {
  http_req_duration: 'trend',
  http_req_failed: 'rate',
  checks: 'rate',
  http_reqs: 'counter',
  iterations: 'counter',
  dropped_iterations: 'counter',
  data_sent: 'counter',
  data_received: 'counter',
  coupons_not_stored: 'counter',
  duplicate_codes: 'counter',
} as const satisfies Record<string, MetricType>;
export type MetricName = keyof typeof metricTypes;

const aggregationsOf: Record<MetricType, readonly Aggregation[]> = {
  trend: ['avg', 'min', 'max', 'med', 'percentile'],
  rate: ['rate'],
  counter: ['count', 'rate'],
};

export interface Threshold {
  metric: MetricName;
  /** As written, e.g. `p(95)<250`. */
  expression: string;
  aggregation: Aggregation;
  /** For `p(N)`: N. */
  percentile?: number;
  operator: Operator;
  value: number;
  /** k6's abortOnFail: stop the run as soon as the threshold is crossed. */
  abortOnFail: boolean;
  /** k6's delayAbortEval, in ms: abortOnFail is not looked at before this much of the run. */
  delayAbortEvalMs: number;
}

const expressionPattern =
  /^\s*(avg|min|max|med|count|rate|value|p\(\s*([^)]*?)\s*\))\s*(===|==|!=|<=|>=|<|>)\s*(\S.*?)\s*$/;
const numberPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** One expression for one metric; a UsageError naming the expression when k6 would refuse it. */
export function parseThreshold(metric: string, expression: string, source = 'the thresholds'): Threshold {
  const where = `threshold "${expression}" for ${metric} in ${source}`;
  if (!Object.hasOwn(metricTypes, metric)) {
    const tagged = /^([\w.]+)\{.*\}$/.exec(metric);
    const hint = tagged
      ? ' Sub-metrics with tags are not supported by gb-coupon load; name the metric without {…}.'
      : '';
    throw new UsageError(
      `Unknown metric "${metric}" in ${source}.${hint} The metrics are: ${Object.keys(metricTypes).join(', ')}.`,
    );
  }
  const type = metricTypes[metric as MetricName];
  const found = expressionPattern.exec(expression);
  if (!found) {
    throw new UsageError(
      `Invalid ${where}: write "aggregation operator value" as k6 does, e.g. p(95)<250, avg<100, rate<0.01 or count<1.`,
    );
  }
  const [, method, percentileText, operator, valueText] = found;
  if (!numberPattern.test(valueText!)) throw new UsageError(`Invalid ${where}: "${valueText}" is not a number.`);
  let aggregation: Aggregation;
  let percentile: number | undefined;
  if (method!.startsWith('p(')) {
    aggregation = 'percentile';
    percentile = Number(percentileText);
    if (!numberPattern.test(percentileText!) || percentile < 0 || percentile > 100) {
      throw new UsageError(`Invalid ${where}: the percentile must be a number from 0 to 100, as in p(95) or p(99.9).`);
    }
  } else {
    aggregation = method as Aggregation;
  }
  if (!(aggregationsOf[type] as readonly string[]).includes(aggregation)) {
    const allowed = aggregationsOf[type].map((a) => (a === 'percentile' ? 'p(N)' : a)).join(', ');
    throw new UsageError(
      `Invalid ${where}: ${method} does not apply to ${metric}, a ${type} metric (it takes ${allowed}).`,
    );
  }
  return {
    metric: metric as MetricName,
    expression,
    aggregation,
    ...(percentile !== undefined ? { percentile } : {}),
    operator: operator as Operator,
    value: Number(valueText),
    abortOnFail: false,
    delayAbortEvalMs: 0,
  };
}

/** k6's `options.thresholds` object: metric -> list of expressions or `{threshold, abortOnFail, delayAbortEval}`. */
export function parseThresholds(document: unknown, source = 'the thresholds'): Threshold[] {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new UsageError(
      `${source} must be a JSON object of metric -> list of expressions, as k6's options.thresholds, e.g. {"http_req_duration": ["p(95)<250"]}.`,
    );
  }
  const thresholds: Threshold[] = [];
  for (const [metric, entries] of Object.entries(document)) {
    const list: unknown[] = Array.isArray(entries) ? entries : [entries];
    for (const entry of list) {
      if (typeof entry === 'string') {
        thresholds.push(parseThreshold(metric, entry, source));
      } else if (
        entry &&
        typeof entry === 'object' &&
        typeof (entry as { threshold?: unknown }).threshold === 'string'
      ) {
        const { threshold, abortOnFail, delayAbortEval, ...rest } = entry as Record<string, unknown>;
        const unknown = Object.keys(rest);
        if (unknown.length > 0) {
          throw new UsageError(
            `The threshold ${JSON.stringify(threshold)} for ${metric} in ${source} has unknown fields (${unknown.join(', ')}); k6 takes threshold, abortOnFail and delayAbortEval.`,
          );
        }
        if (abortOnFail !== undefined && typeof abortOnFail !== 'boolean') {
          throw new UsageError(`abortOnFail for ${metric} in ${source} must be true or false.`);
        }
        if (delayAbortEval !== undefined && typeof delayAbortEval !== 'string') {
          throw new UsageError(`delayAbortEval for ${metric} in ${source} must be a duration such as "10s".`);
        }
        thresholds.push({
          ...parseThreshold(metric, threshold as string, source),
          abortOnFail: abortOnFail === true,
          delayAbortEvalMs: delayAbortEval ? parseDuration(delayAbortEval, `delayAbortEval for ${metric}`) : 0,
        });
      } else {
        throw new UsageError(
          `The thresholds for ${metric} in ${source} must be expressions such as "p(95)<250" or {"threshold": "p(95)<250", "abortOnFail": true}; got ${JSON.stringify(entry)}.`,
        );
      }
    }
  }
  return thresholds;
}

export async function loadThresholdsFile(path: string): Promise<Threshold[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the thresholds file ${path}: ${(error as Error).message}.`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`The thresholds file ${path} is not valid JSON: ${(error as Error).message}.`);
  }
  return parseThresholds(document, path);
}

/** The shipped thresholds, shared with the k6 scripts. */
export const defaultThresholdsFile = new URL('../thresholds.json', import.meta.url);

/** The value an aggregation takes on the run's metrics. */
export interface MetricReader {
  trend(
    metric: 'http_req_duration',
    aggregation: 'avg' | 'min' | 'max' | 'med' | 'percentile',
    percentile?: number,
  ): number;
  rate(metric: MetricName): number;
  count(metric: MetricName): number;
}

export interface ThresholdResult {
  metric: MetricName;
  expression: string;
  ok: boolean;
  /** The observed value the expression was compared with. */
  value: number;
}

export function observedValue(threshold: Threshold, metrics: MetricReader): number {
  const { metric, aggregation } = threshold;
  if (aggregation === 'count') return metrics.count(metric);
  if (aggregation === 'rate') return metrics.rate(metric);
  return metrics.trend('http_req_duration', aggregation, threshold.percentile);
}

export function compare(observed: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
    case '==':
    case '===':
      return observed === limit;
    case '!=':
      return observed !== limit;
  }
}

export function evaluateThresholds(thresholds: readonly Threshold[], metrics: MetricReader): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const value = observedValue(threshold, metrics);
    return {
      metric: threshold.metric,
      expression: threshold.expression,
      ok: compare(value, threshold.operator, threshold.value),
      value,
    };
  });
}
