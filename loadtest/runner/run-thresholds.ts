// Which thresholds a load test judges: those of a k6 thresholds file (the shipped
// loadtest/thresholds.json unless told otherwise), then those given in code, and, when the run is
// reconciled, `coupons_not_stored: count<1` unless one of them already names that metric.
import { fileURLToPath } from 'node:url';
import {
  defaultThresholdsFile,
  loadThresholdsFile,
  parseThreshold,
  parseThresholds,
  type Threshold,
} from './thresholds.ts';

/** One expression of k6's `options.thresholds`: `"p(95)<250"`, or with k6's abort settings. */
export type K6ThresholdEntry = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

/** k6's `options.thresholds`: metric -> expression(s), e.g. `{ http_req_duration: ['p(95)<250'] }`. */
export type K6Thresholds = Readonly<Record<string, K6ThresholdEntry | readonly K6ThresholdEntry[]>>;

export interface ThresholdSources {
  /** A k6 thresholds JSON file; the shipped one when absent; none with `false`. */
  file?: string | URL | false | undefined;
  /** More thresholds, judged after the file's. */
  extra?: K6Thresholds | undefined;
  reconcile: boolean;
}

export interface RunThresholds {
  thresholds: Threshold[];
  /** The file they were read from, as a path. */
  file?: string;
}

/** The thresholds, in the order they are reported; a UsageError naming the first one k6 would refuse. */
export async function thresholdsToJudge(sources: ThresholdSources): Promise<RunThresholds> {
  const file = sources.file === false ? undefined : pathOf(sources.file ?? defaultThresholdsFile);
  const fromFile = file === undefined ? [] : await loadThresholdsFile(file);
  const given = sources.extra ? parseThresholds(sources.extra, 'the thresholds option') : [];
  const all = [...fromFile, ...given];
  const addNotStored = sources.reconcile && !all.some((t) => t.metric === 'coupons_not_stored');
  const thresholds = addNotStored ? [...all, parseThreshold('coupons_not_stored', 'count<1', 'reconcile')] : all;
  return file === undefined ? { thresholds } : { thresholds, file };
}

function pathOf(file: string | URL): string {
  return file instanceof URL ? fileURLToPath(file) : file;
}
