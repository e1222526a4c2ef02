// The harness as a library: what merchants call from their own test suites.

export type {
  Check,
  CheckContext,
  CheckVerdict,
  Delivery,
  EvidenceStep,
  Finding,
  LookupProblem,
  Severity,
  StoredRecords,
} from './checks/check.ts';
export { describeAnswer, fail, pass, skip, verdictOf, warn } from './checks/check.ts';
export type { CouponConfiguration } from './config/coupon-configuration.ts';
export { defaultConfiguration, defaultPayloadTemplate } from './config/default-configuration.ts';
export { loadConfigurationFile } from './config/load-configuration.ts';
export { type NormalisedConfiguration, normaliseConfiguration } from './config/normalise-configuration.ts';
export { ConfigError, UsageError } from './errors.ts';
export { type CouponValues, type RenderedRequest, renderDelivery } from './render/render-delivery.ts';
export { formatConsoleReport } from './report/console.ts';
export type { CheckResult, CheckStatus, FindingResult, LatencySummary, Report, Reproduction } from './report/types.ts';
export { parseReportFormats, type ReportFormat, writeReports } from './report/write-reports.ts';
export { type CodeJudgement, type CodeLocation, findCode } from './run/find-code.ts';
export { checkIds, type VerifyOptions, verify } from './run/verify.ts';
export { type Scenario, scenarios } from './scenarios/scenarios.ts';
