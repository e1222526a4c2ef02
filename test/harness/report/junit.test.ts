import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { formatJunitReport, JUNIT_SUITE_NAME } from '../../../harness/report/junit.ts';
import type { Report } from '../../../harness/report/types.ts';
import { failingReport, NASTY_BODY, passingReport } from './fixture.ts';

interface TestCase {
  '@_classname': string;
  '@_name': string;
  '@_time': string;
  failure?: { '@_message': string; '#text': string };
  skipped?: unknown;
  'system-out'?: { '#text': string };
}

function parseJunit(report: Report) {
  const xml = formatJunitReport(report);
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    cdataPropName: false,
    alwaysCreateTextNode: true,
    isArray: (name) => name === 'testcase' || name === 'testsuite',
  }).parse(xml);
  const suite = parsed.testsuites.testsuite[0];
  return { xml, suite, cases: suite.testcase as TestCase[] };
}

describe('formatJunitReport', () => {
  it('is one suite with a test case per check, named after the check', () => {
    const report = passingReport();
    const { suite, cases } = parseJunit(report);

    expect(suite['@_name']).toBe(JUNIT_SUITE_NAME);
    expect(suite['@_tests']).toBe(String(report.checks.length));
    expect(cases.map((testCase) => testCase['@_classname'])).toEqual(
      report.checks.map((check) => `gameball.${check.id}`),
    );
    expect(cases.map((testCase) => testCase['@_name'])).toEqual(report.checks.map((check) => check.title));
    expect(cases.some((testCase) => testCase.failure || testCase.skipped)).toBe(false);
  });

  it('marks failures and skips with the counts CI tools show', () => {
    const { suite, cases } = parseJunit(failingReport());

    expect(suite['@_failures']).toBe('3');
    expect(suite['@_skipped']).toBe('1');
    expect(cases.filter((testCase) => testCase.failure)).toHaveLength(3);
    expect(cases.filter((testCase) => testCase.skipped !== undefined)).toHaveLength(1);
    expect(cases.find((testCase) => testCase.skipped !== undefined)?.['system-out']?.['#text']).toMatch(
      /enableFreeProduct is false/,
    );
  });

  it('puts the message on the failure and the exchange and curl command in its body', () => {
    const report = failingReport();
    const check = report.checks.find((result) => result.id === 'idempotent-retry')!;
    const failure = parseJunit(report).cases.find(
      (testCase) => testCase['@_classname'] === 'gameball.idempotent-retry',
    )!.failure!;

    expect(failure['@_message']).toBe(check.message);
    expect(failure['#text']).toContain('HTTP 500');
    expect(failure['#text']).toContain(check.reproduction!.curl);
  });

  it('keeps a hostile response body intact, CDATA terminator included', () => {
    const failure = parseJunit(failingReport()).cases.find(
      (testCase) => testCase['@_classname'] === 'gameball.idempotent-retry',
    )!.failure!;
    // The XML 1.0 builder drops the ESC control characters it cannot represent; everything else survives.
    expect(failure['#text']).toContain(NASTY_BODY.replace(/\u001b/g, ''));
  });

  it('gives times in seconds', () => {
    const report = passingReport();
    const { cases } = parseJunit(report);
    expect(report.checks[1]!.durationMs).toBe(29.5);
    expect(Number(cases[1]!['@_time'])).toBeCloseTo(0.0295, 2);
  });
});
