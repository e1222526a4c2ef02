// JUnit XML for CI: one suite, one test case per threshold (`http_req_duration p(95)<250`), failed
// when the threshold was crossed, with the observed value; reconciliation's count is a threshold too.
// Written as the harness writes its JUnit: fast-xml-parser's builder, every string made XML-safe.
import { XMLBuilder } from 'fast-xml-parser';
import { xmlSafeText } from '../../core/report/untrusted-text.ts';
import type { LoadReport } from './load-report.ts';
import { thresholdValue } from './summary-text.ts';

const LOAD_SUITE_NAME = 'gb-coupon load';

const xml = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

export function formatLoadJunit(report: LoadReport): string {
  const failures = report.thresholds.filter((t) => !t.ok).length;
  const counts = { '@_tests': report.thresholds.length, '@_failures': failures, '@_errors': 0, '@_skipped': 0 };
  const time = report.durationMs / 1000;
  const properties = [
    ['target', `${report.target.method.toUpperCase()} ${report.target.url}`],
    ['load', report.load.description],
    ['seed', String(report.seed)],
    ['requests', String(report.requests)],
    ['rps', String(report.rps)],
    ['dropped', String(report.dropped)],
  ].map(([name, value]) => ({ '@_name': name!, '@_value': xmlSafeText(value!) }));
  return xml.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': LOAD_SUITE_NAME,
      ...counts,
      '@_time': time,
      testsuite: {
        '@_name': LOAD_SUITE_NAME,
        // JUnit timestamps carry no zone; this one is UTC.
        '@_timestamp': new Date(report.startedAt).toISOString().slice(0, 19),
        '@_time': time,
        ...counts,
        properties: { property: properties },
        testcase: report.thresholds.map((threshold) => {
          const observed = thresholdValue(threshold);
          return {
            '@_classname': xmlSafeText(`thresholds.${threshold.metric}`),
            '@_name': xmlSafeText(`${threshold.metric} ${threshold.expression}`),
            '@_time': time,
            ...(threshold.ok
              ? { 'system-out': xmlSafeText(`${observed}: held`) }
              : {
                  failure: {
                    '@_message': xmlSafeText(`${threshold.metric} ${threshold.expression} crossed: ${observed}`),
                    '@_type': 'ThresholdCrossed',
                    '#text': xmlSafeText(failureDetails(report, observed)),
                  },
                }),
          };
        }),
      },
    },
  });
}

function failureDetails(report: LoadReport, observed: string): string {
  const lines = [`Observed ${observed} over ${report.requests} requests (${report.load.description}).`];
  for (const [kind, example] of Object.entries(report.failures.examples)) lines.push(`First ${kind}: ${example}`);
  if (report.reconcile?.missingCodes.length) lines.push(`Not stored: ${report.reconcile.missingCodes.join(', ')}`);
  return lines.join('\n');
}
