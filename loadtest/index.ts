// The load test as a library (gameball-coupon-kit/load; gb-coupon load is its command line):
//
//   const report = await runLoadTest({ configuration, load: { rate: 50, durationMs: 10_000 } });
//   if (!report.passed) console.log(formatLoadSummary(report, { color: false }));
export type { CouponConfiguration } from '../core/config/coupon-configuration.ts';
export { type NormalisedConfiguration, normaliseConfiguration } from '../core/config-file/normalise-configuration.ts';
export { ConfigError, UsageError } from '../core/errors.ts';
export { parseReportFormats, type ReportFormat } from '../core/report/report-formats.ts';
export type { Stage } from './runner/arrivals.ts';
export { type LoadReport, loadExitCode } from './runner/load-report.ts';
export type {
  LoadProgress,
  LoadRunOptions,
  LoadSettings,
  LoadShape,
  LoadTestOptions,
} from './runner/load-test-options.ts';
export type { Reconciliation } from './runner/reconcile.ts';
export { type LoadTest, prepareLoadTest, runLoadTest } from './runner/run-load-test.ts';
export type { K6ThresholdEntry, K6Thresholds } from './runner/run-thresholds.ts';
export { formatLoadSummary } from './runner/summary-text.ts';
export type { ThresholdResult } from './runner/thresholds.ts';
export { writeLoadReports } from './runner/write-load-reports.ts';
