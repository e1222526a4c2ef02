// JUnit XML for CI: one suite, one test case per threshold (`http_req_duration p(95)<250`), failed
// when the threshold was crossed, with the observed value; reconciliation's count is a threshold too.
// The document's shell is the one verify's JUnit uses (core/report/junit-document.ts).
import { buildJunitDocument, junitProperties, junitSeconds } from '../../core/report/junit-document.ts';
import { xmlSafeText } from '../../core/report/untrusted-text.ts';
import type { LoadReport } from './load-report.ts';
import { thresholdValue } from './summary-text.ts';

const LOAD_SUITE_NAME = 'gb-coupon load';

export function formatLoadJunit(report: LoadReport): string {
  return buildJunitDocument({
    name: LOAD_SUITE_NAME,
    counts: { tests: report.thresholds.length, failures: report.thresholds.filter((t) => !t.ok).length, skipped: 0 },
    durationMs: report.durationMs,
    startedAt: report.startedAt,
    properties: junitProperties([
      ['target', `${report.target.method.toUpperCase()} ${report.target.url}`],
      ...(report.instances ? [['instances', report.instances.map((i) => i.url).join(' ')] as [string, string]] : []),
      ['load', report.load.description],
      ['seed', String(report.seed)],
      ['requests', String(report.requests)],
      ['rps', String(report.rps)],
      ['dropped', String(report.dropped)],
    ]),
    testcases: report.thresholds.map((threshold) => {
      const observed = thresholdValue(threshold);
      return {
        '@_classname': xmlSafeText(`thresholds.${threshold.metric}`),
        '@_name': xmlSafeText(`${threshold.metric} ${threshold.expression}`),
        '@_time': junitSeconds(report.durationMs),
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
  });
}

function failureDetails(report: LoadReport, observed: string): string {
  const lines = [`Observed ${observed} over ${report.requests} requests (${report.load.description}).`];
  for (const [kind, example] of Object.entries(report.failures.examples)) lines.push(`First ${kind}: ${example}`);
  if (report.reconcile?.missingCodes.length) lines.push(`Not stored: ${report.reconcile.missingCodes.join(', ')}`);
  return lines.join('\n');
}
