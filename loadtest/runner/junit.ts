// JUnit XML for CI: one suite, one test case per threshold (`http_req_duration p(95)<250`), failed
// when the threshold was crossed, with the observed value; reconciliation's count is a threshold too.
import junitReportBuilder, { type Builder } from 'junit-report-builder';
import type { LoadReport } from './load-report.ts';
import { thresholdValue } from './summary-text.ts';

// The package types its CommonJS export as an ES default; at run time the default import is the builder.
const sharedBuilder = junitReportBuilder as unknown as Builder;

export const LOAD_SUITE_NAME = 'gb-coupon load';

export function formatLoadJunit(report: LoadReport): string {
  const builder = sharedBuilder.newBuilder().name(LOAD_SUITE_NAME);
  const suite = builder
    .testSuite()
    .name(LOAD_SUITE_NAME)
    .timestamp(new Date(report.startedAt))
    .time(report.durationMs / 1000)
    .property('target', `${report.target.method.toUpperCase()} ${report.target.url}`)
    .property('load', report.load.description)
    .property('seed', String(report.seed))
    .property('requests', String(report.requests))
    .property('rps', String(report.rps))
    .property('dropped', String(report.dropped));
  for (const threshold of report.thresholds) {
    const observed = thresholdValue(threshold);
    const testCase = suite
      .testCase()
      .className(`thresholds.${threshold.metric}`)
      .name(`${threshold.metric} ${threshold.expression}`);
    if (threshold.ok) testCase.standardOutput(`${observed}: held`);
    else {
      testCase
        .failure(`${threshold.metric} ${threshold.expression} crossed: ${observed}`, 'ThresholdCrossed')
        .stacktrace(failureDetails(report, observed));
    }
  }
  return builder.build();
}

function failureDetails(report: LoadReport, observed: string): string {
  const lines = [`Observed ${observed} over ${report.requests} requests (${report.load.description}).`];
  for (const [kind, example] of Object.entries(report.failures.examples)) lines.push(`First ${kind}: ${example}`);
  if (report.reconcile?.missingCodes.length) lines.push(`Not stored: ${report.reconcile.missingCodes.join(', ')}`);
  return lines.join('\n');
}
