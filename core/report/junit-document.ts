// The JUnit XML shell that verify, flow and load share (GitLab, Jenkins and GitHub test reporters
// read it): one <testsuites> holding one <testsuite> with its properties and test cases. Written
// with fast-xml-parser's builder, which escapes text as text: no CDATA section, so no `]]>` from an
// endpoint can end one; every string the caller passes goes through xmlSafeText first.
import { XMLBuilder } from 'fast-xml-parser';
import { xmlSafeText } from './untrusted-text.ts';

const xml = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: true,
  // `value="true"` stays an attribute with a value (the default writes a bare `value`, not XML).
  suppressBooleanAttributes: false,
});

/** A <property>: a short value as an attribute, or a longer text (several lines) as its content. */
export type JunitProperty = { '@_name': string; '@_value': string } | { '@_name': string; '#text': string };

export interface JunitSuite {
  name: string;
  counts: { tests: number; failures: number; skipped: number };
  durationMs: number;
  startedAt: string;
  properties: readonly JunitProperty[];
  /** Each <testcase> as the builder takes it (`@_` attributes, child elements by name). */
  testcases: readonly Record<string, unknown>[];
}

/** `[name, value]` pairs as <property name value>, the values made XML-safe. */
export function junitProperties(pairs: readonly (readonly [string, string])[]): JunitProperty[] {
  return pairs.map(([name, value]) => ({ '@_name': name, '@_value': xmlSafeText(value) }));
}

/** Milliseconds as JUnit's seconds, to the millisecond. */
export function junitSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}

export function buildJunitDocument(suite: JunitSuite): string {
  const counts = {
    '@_tests': suite.counts.tests,
    '@_failures': suite.counts.failures,
    '@_errors': 0,
    '@_skipped': suite.counts.skipped,
  };
  const time = junitSeconds(suite.durationMs);
  return xml.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': suite.name,
      ...counts,
      '@_time': time,
      testsuite: {
        '@_name': suite.name,
        // JUnit timestamps carry no zone; this one is UTC.
        '@_timestamp': new Date(suite.startedAt).toISOString().slice(0, 19),
        '@_time': time,
        ...counts,
        properties: { property: suite.properties },
        testcase: suite.testcases,
      },
    },
  });
}
