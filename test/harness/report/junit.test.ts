import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { formatJunitReport, JUNIT_SUITE_NAME } from '../../../harness/report/junit.ts';
import type { Report } from '../../../harness/report/types.ts';
import { assertWellFormedXml } from '../../support/strict-xml.ts';
import { failingReport, NASTY_BODY, passingReport, SERVER_ERROR_REPRODUCTION } from './fixture.ts';

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
  assertWellFormedXml(xml);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    cdataPropName: false,
    alwaysCreateTextNode: true,
    trimValues: false,
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
    // Terminal escapes are shown as the console shows them; everything else survives as it was.
    expect(failure['#text']).toContain(NASTY_BODY.replace(/\u001b/g, '\\u001b'));
  });

  it('stays well-formed XML whatever the strings hold, and shows what XML cannot carry', () => {
    // Everything XML 1.0 cannot hold or a CDATA section would trip on, in every string the file takes.
    const hostile =
      'a]]>b]]><x/>c]]>]]> \u0000\u0001\u0008\u000b\u000c\u001b[2J\u007f \ud800 lone \udc00 pair \ud83d\ude00 \ufffe\uffff ' +
      '\u202eevil\u202c \r\nCRLF & <tag attr="v"> \'q\'';
    const report = failingReport();
    report.notes.push(hostile);
    report.target.url = `https://shop.example.com/${hostile}`;
    const check = report.checks.find((result) => result.id === 'idempotent-retry')!;
    check.message = hostile;
    check.title = hostile;
    // The first finding's reproduction is what a failure shows (the top-level one is derived from it).
    check.findings[0]!.reproduction = check.reproduction = {
      ...SERVER_ERROR_REPRODUCTION,
      response: { ...SERVER_ERROR_REPRODUCTION.response!, headers: { 'x-hostile': hostile }, body: hostile },
      curl: hostile,
      // One request: the body shows the curl command (a sequence would show its script).
      requests: 1,
    };
    report.checks.find((result) => result.status === 'passed')!.message = hostile;

    const { xml, cases } = parseJunit(report);

    // Written as a file it is valid UTF-8: no lone surrogate survives to be mangled on the way.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(xml, 'utf8'))).not.toThrow();
    expect(xml).not.toContain('<x/>');
    const shown =
      'a]]>b]]><x/>c]]>]]> \\u0000\\u0001\\u0008\\u000b\\u000c\\u001b[2J\\u007f \ufffd lone \ufffd pair \ud83d\ude00 \\ufffe\\uffff ' +
      '\\u202eevil\\u202c \nCRLF & <tag attr="v"> \'q\'';
    const failing = cases.find((testCase) => testCase['@_classname'] === 'gameball.idempotent-retry')!;
    // In attribute values a conforming parser reads the line break as a space.
    const oneLine = (text: string) => text.replace(/\n/g, ' ');
    expect(oneLine(failing['@_name'])).toBe(oneLine(shown));
    expect(oneLine(failing.failure!['@_message'])).toBe(oneLine(shown));
    const text = failing.failure!['#text'];
    expect(text.split(shown).length - 1).toBe(4); // message, header, body and curl command
    expect(cases.some((testCase) => testCase['system-out']?.['#text'] === shown)).toBe(true);
  });

  it('gives times in seconds', () => {
    const report = passingReport();
    const { cases } = parseJunit(report);
    expect(report.checks[1]!.durationMs).toBe(29.5);
    expect(Number(cases[1]!['@_time'])).toBeCloseTo(0.0295, 2);
  });
});
