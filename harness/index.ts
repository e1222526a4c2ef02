// The harness as a library: what merchants call from their own test suites.

export type { CouponConfiguration } from '../core/config/coupon-configuration.ts';
export { defaultConfiguration, defaultPayloadTemplate } from '../core/config/default-configuration.ts';
export { loadConfigurationFile } from '../core/config-file/load-configuration.ts';
export { type NormalisedConfiguration, normaliseConfiguration } from '../core/config-file/normalise-configuration.ts';
export { ConfigError, UsageError } from '../core/errors.ts';
export { codeRegister, judgeDistinct } from '../core/judge/distinct-codes.ts';
export { type CodeJudgement, type CodeLocation, findCode, findMerchantCode } from '../core/judge/find-code.ts';
export {
  type AcceptanceFinding,
  type AcceptanceVerdict,
  codeLocationOf,
  type JudgedAnswer,
  judge,
  type NoAnswer,
  type ProblemKind,
  type ResponseFacts,
  type SentDelivery,
} from '../core/judge/judge.ts';
export { type CodeMode, codeModeOf } from '../core/render/code-mode.ts';
export { documentedPlaceholders, kitPlaceholders } from '../core/render/placeholders.ts';
export { type CouponValues, type RenderedRequest, renderDelivery } from '../core/render/render-delivery.ts';
export { parseReportFormats, type ReportFormat } from '../core/report/report-formats.ts';
export { type Scenario, scenarios } from '../core/scenarios/scenarios.ts';
export type {
  AnswerCode,
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
export { describeAnswer, fail, firstFinding, pass, skip, verdictOf, warn } from './checks/check.ts';
export { formatConsoleReport } from './report/console.ts';
export type {
  CheckResult,
  CheckStatus,
  FindingResult,
  LatencySummary,
  Report,
  Reproduction,
  RunHeader,
} from './report/types.ts';
export { writeReports } from './report/write-reports.ts';
export { checkIds, type VerifyOptions, verify } from './run/verify.ts';
