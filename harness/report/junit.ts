// JUnit XML for CI (GitLab, Jenkins, GitHub test reporters): one suite, one test case per check.
// A failure carries the check's message as its message and the whole exchange plus the curl command
// (or the script of the whole sequence) as its body, which is what those tools show under a failed
// test; warnings pass with WARNING in their output; each case names its kind and dependencies.
// The document's shell, and how it escapes, is core/report/junit-document.ts.
import { buildJunitDocument, junitProperties, junitSeconds } from '../../core/report/junit-document.ts';
import { xmlSafeText } from '../../core/report/untrusted-text.ts';
import { requestText, responseText } from './exchange-text.ts';
import { firstFinding } from './first-finding.ts';
import { observedOutcome } from './format.ts';
import type { CheckResult, Report } from './types.ts';

export const JUNIT_SUITE_NAME = 'gb-coupon verify';

/** Enough of a body to recognise an error page or a JSON error, not a 1 MiB dump in the CI log. */
const MAX_BODY_CHARS = 4000;

export function formatJunitReport(report: Report): string {
  // Under --strict a warning fails its test case, as it fails the run.
  const failing = (check: CheckResult): boolean =>
    check.status === 'failed' || (check.status === 'warning' && report.strict);
  const properties = junitProperties([
    ['target', `${report.target.method.toUpperCase()} ${report.target.url}`],
    ['embedded', String(report.target.embedded)],
    ...(report.target.instances ? [['instances', report.target.instances.join(' ')] as [string, string]] : []),
    ['seed', String(report.seed)],
    ['strict', String(report.strict)],
    ['latency.p95.ms', String(report.latency.p95)],
    ['latency.budget.ms', String(report.latency.budgetMs)],
  ]);
  if (report.notes.length > 0) properties.push({ '@_name': 'notes', '#text': xmlSafeText(report.notes.join('\n')) });
  return buildJunitDocument({
    name: JUNIT_SUITE_NAME,
    counts: {
      tests: report.checks.length,
      failures: report.checks.filter(failing).length,
      skipped: report.summary.skipped,
    },
    durationMs: report.durationMs,
    startedAt: report.startedAt,
    properties,
    testcases: report.checks.map((check) => testCase(check, failing(check))),
  });
}

/**
 * One check: its kind and dependencies as properties; a failure (or a warning under --strict) as
 * <failure>; a warning otherwise passes with `WARNING:` and the reproduction in its output.
 */
function testCase(check: CheckResult, failing: boolean): Record<string, unknown> {
  const properties = junitProperties([
    ...(check.kind ? [['kind', check.kind] as const] : []),
    ...(check.dependsOn.length > 0 ? [['depends-on', check.dependsOn.join(',')] as const] : []),
  ]);
  return {
    '@_classname': xmlSafeText(`gameball.${check.id}`),
    '@_name': xmlSafeText(check.title),
    '@_time': junitSeconds(check.durationMs),
    ...(properties.length > 0 ? { properties: { property: properties } } : {}),
    ...(failing
      ? {
          failure: {
            '@_message': xmlSafeText(check.message),
            '@_type': check.status === 'warning' ? 'CheckWarning' : 'CheckFailed',
            '#text': xmlSafeText(failureBody(check)),
          },
        }
      : {
          'system-out': xmlSafeText(check.status === 'warning' ? `WARNING: ${failureBody(check)}` : check.message),
        }),
    ...(check.status === 'skipped' ? { skipped: '' } : {}),
  };
}

function failureBody(check: CheckResult): string {
  const reproduction = firstFinding(check)?.reproduction;
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
