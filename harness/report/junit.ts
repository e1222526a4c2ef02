// JUnit XML for CI (GitLab, Jenkins, GitHub test reporters): one suite, one test case per check.
// A failure carries the check's message as its message and the whole exchange plus the curl command
// (or the script of the whole sequence) as its body, which is what those tools show under a failed
// test; warnings pass with WARNING in their output; each case names its kind and dependencies.
// Written with an XML library that escapes text as text: no CDATA sections, so no `]]>` from an
// endpoint can end one (junit-report-builder escaped only the first), and every string passes
// through xmlSafeText so that nothing XML 1.0 cannot carry reaches the file. CI tools read the text
// of <failure> and <system-out> whether or not it is CDATA.
import { XMLBuilder } from 'fast-xml-parser';
import { xmlSafeText } from '../../core/report/untrusted-text.ts';
import { requestText, responseText } from './exchange-text.ts';
import { firstFinding } from './first-finding.ts';
import { observedOutcome } from './format.ts';
import type { CheckResult, Report } from './types.ts';

export const JUNIT_SUITE_NAME = 'gb-coupon verify';

/** Enough of a body to recognise an error page or a JSON error, not a 1 MiB dump in the CI log. */
const MAX_BODY_CHARS = 4000;

const xml = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: true,
  // `value="true"` stays an attribute with a value (the default writes a bare `value`, not XML).
  suppressBooleanAttributes: false,
});

export function formatJunitReport(report: Report): string {
  // Under --strict a warning fails its test case, as it fails the run.
  const failing = (check: CheckResult): boolean =>
    check.status === 'failed' || (check.status === 'warning' && report.strict);
  const counts = {
    '@_tests': report.checks.length,
    '@_failures': report.checks.filter(failing).length,
    '@_errors': 0,
    '@_skipped': report.summary.skipped,
  };
  const properties: Record<string, string>[] = [
    ['target', `${report.target.method.toUpperCase()} ${report.target.url}`],
    ['embedded', String(report.target.embedded)],
    ['seed', String(report.seed)],
    ['strict', String(report.strict)],
    ['latency.p95.ms', String(report.latency.p95)],
    ['latency.budget.ms', String(report.latency.budgetMs)],
  ].map(([name, value]) => ({ '@_name': name!, '@_value': xmlSafeText(value!) }));
  if (report.notes.length > 0) properties.push({ '@_name': 'notes', '#text': xmlSafeText(report.notes.join('\n')) });

  return xml.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': JUNIT_SUITE_NAME,
      ...counts,
      '@_time': seconds(report.durationMs),
      testsuite: {
        '@_name': JUNIT_SUITE_NAME,
        // JUnit timestamps carry no zone; this one is UTC.
        '@_timestamp': new Date(report.startedAt).toISOString().slice(0, 19),
        '@_time': seconds(report.durationMs),
        ...counts,
        properties: { property: properties },
        testcase: report.checks.map((check) => testCase(check, failing(check))),
      },
    },
  });
}

/**
 * One check: its kind and dependencies as properties; a failure (or a warning under --strict) as
 * <failure>; a warning otherwise passes with `WARNING:` and the reproduction in its output.
 */
function testCase(check: CheckResult, failing: boolean): Record<string, unknown> {
  const properties = [
    ...(check.kind ? [['kind', check.kind]] : []),
    ...(check.dependsOn.length > 0 ? [['depends-on', check.dependsOn.join(',')]] : []),
  ].map(([name, value]) => ({ '@_name': name!, '@_value': xmlSafeText(value!) }));
  return {
    '@_classname': xmlSafeText(`gameball.${check.id}`),
    '@_name': xmlSafeText(check.title),
    '@_time': seconds(check.durationMs),
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

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
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
