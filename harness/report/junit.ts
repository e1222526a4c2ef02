// JUnit XML for CI (GitLab, Jenkins, GitHub test reporters): one suite, one test case per check.
// A failure carries the check's message as its message and the whole exchange plus the curl command
// as its body, which is what those tools show under a failed test.
import junitReportBuilder, { type Builder } from 'junit-report-builder';
import { requestText, responseText } from './exchange-text.ts';
import { observedOutcome } from './format.ts';
import type { CheckResult, Report } from './types.ts';

// The package ships `module.exports = builder` but types it as an ES default export, which NodeNext
// reads as `{ default: builder }`. At run time the default import is the builder itself.
const sharedBuilder = junitReportBuilder as unknown as Builder;

export const JUNIT_SUITE_NAME = 'gb-coupon verify';

/** Enough of a body to recognise an error page or a JSON error, not a 1 MiB dump in the CI log. */
const MAX_BODY_CHARS = 4000;

export function formatJunitReport(report: Report): string {
  // The package's default export is one shared builder; a new one per report keeps runs apart.
  const builder = sharedBuilder.newBuilder().name(JUNIT_SUITE_NAME);
  const suite = builder
    .testSuite()
    .name(JUNIT_SUITE_NAME)
    .timestamp(new Date(report.startedAt))
    .time(seconds(report.durationMs))
    .property('target', `${report.target.method.toUpperCase()} ${report.target.url}`)
    .property('embedded', String(report.target.embedded))
    .property('seed', String(report.seed))
    .property('strict', String(report.strict))
    .property('latency.p95.ms', String(report.latency.p95))
    .property('latency.budget.ms', String(report.latency.budgetMs));
  if (report.notes.length > 0) suite.multilineProperty('notes', report.notes.join('\n'));

  for (const check of report.checks) {
    const testCase = suite
      .testCase()
      .className(`gameball.${check.id}`)
      .name(check.title)
      .time(seconds(check.durationMs));
    if (check.kind) testCase.property('kind', check.kind);
    if (check.dependsOn.length > 0) testCase.property('depends-on', check.dependsOn.join(','));
    // A warning is a passing test case that says so, unless --strict made warnings fail the run.
    const failed = check.status === 'failed' || (check.status === 'warning' && report.strict);
    if (failed) {
      testCase
        .failure(check.message, check.status === 'warning' ? 'CheckWarning' : 'CheckFailed')
        .stacktrace(failureBody(check));
    } else if (check.status === 'warning') testCase.standardOutput(`WARNING: ${failureBody(check)}`);
    else testCase.standardOutput(check.message);
    if (check.status === 'skipped') testCase.skipped();
  }
  return builder.build();
}

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

function failureBody(check: CheckResult): string {
  const { reproduction } = check;
  if (!reproduction) return check.message;
  return [
    check.message,
    '',
    `Observed: ${observedOutcome(reproduction)}`,
    '',
    'Request:',
    requestText(reproduction, MAX_BODY_CHARS),
    '',
    'Response:',
    responseText(reproduction, MAX_BODY_CHARS),
    '',
    'Reproduce with:',
    reproduction.requests > 1 ? reproduction.script : reproduction.curl,
  ].join('\n');
}
