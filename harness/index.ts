// The harness as a library: what merchants call from their own test suites.
export { verify, checkIds, type VerifyOptions } from './run/verify.ts';
export { normaliseConfiguration, type NormalisedConfiguration } from './config/normalise-configuration.ts';
export { loadConfigurationFile } from './config/load-configuration.ts';
export { defaultConfiguration, defaultPayloadTemplate } from './config/default-configuration.ts';
export type { CouponConfiguration } from './config/coupon-configuration.ts';
export { renderDelivery, type CouponValues, type RenderedRequest } from './render/render-delivery.ts';
export { scenarios, type Scenario } from './scenarios/scenarios.ts';
export { startEmbeddedTarget, type EmbeddedTarget } from './embedded-target.ts';
export { writeReports, parseReportFormats, type ReportFormat } from './report/write-reports.ts';
export { formatConsoleReport } from './report/console.ts';
export { ConfigError, UsageError } from './errors.ts';
export type { Report, CheckResult, CheckStatus, Reproduction, LatencySummary } from './report/types.ts';
