// The harness as a library: what merchants call from their own test suites.

export type { CouponConfiguration } from './config/coupon-configuration.ts';
export { defaultConfiguration, defaultPayloadTemplate } from './config/default-configuration.ts';
export { loadConfigurationFile } from './config/load-configuration.ts';
export { type NormalisedConfiguration, normaliseConfiguration } from './config/normalise-configuration.ts';
export { ConfigError, UsageError } from './errors.ts';
export { type CouponValues, type RenderedRequest, renderDelivery } from './render/render-delivery.ts';
export { formatConsoleReport } from './report/console.ts';
export type { CheckResult, CheckStatus, LatencySummary, Report, Reproduction } from './report/types.ts';
export { parseReportFormats, type ReportFormat, writeReports } from './report/write-reports.ts';
export { checkIds, type VerifyOptions, verify } from './run/verify.ts';
export { type Scenario, scenarios } from './scenarios/scenarios.ts';
