// Package entry for `import { verify } from 'gameball-coupon-kit'`. The kit is TypeScript run
// through tsx; this file registers tsx for the kit's own modules only and re-exports the harness.
import { register } from 'tsx/esm/api';

const tsx = register({ namespace: 'gameball-coupon-kit' });
const harness = await tsx.import('./harness/index.ts', import.meta.url);

export const {
  verify,
  checkIds,
  normaliseConfiguration,
  loadConfigurationFile,
  defaultConfiguration,
  defaultPayloadTemplate,
  renderDelivery,
  scenarios,
  writeReports,
  parseReportFormats,
  formatConsoleReport,
  ConfigError,
  UsageError,
  findCode,
  pass,
  fail,
  warn,
  skip,
  verdictOf,
  describeAnswer,
} = harness;
