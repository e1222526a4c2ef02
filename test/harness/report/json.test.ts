import { describe, expect, it } from 'vitest';
import { formatJsonReport } from '../../../harness/report/json.ts';
import { failingReport, passingReport } from './fixture.ts';

describe('formatJsonReport', () => {
  it('has the summary and checks shape CI scripts read, summary first', () => {
    const report = failingReport();
    const parsed = JSON.parse(formatJsonReport(report));

    expect(Object.keys(parsed).slice(0, 2)).toEqual(['summary', 'checks']);
    expect(parsed.summary).toEqual({ passed: 7, warnings: 1, failed: 3, skipped: 1 });
    expect(parsed.outcome).toBe('failed');
    expect(parsed.checks).toHaveLength(report.checks.length);
    for (const check of parsed.checks) {
      expect(check).toEqual(expect.objectContaining({ id: expect.any(String), message: expect.any(String) }));
      expect(['passed', 'warning', 'failed', 'skipped']).toContain(check.status);
      expect(Array.isArray(check.findings)).toBe(true);
      if (check.status !== 'passed') expect(check.kind).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it('keeps the rest of the report, including the reproduction and the latency timeline', () => {
    const report = failingReport();
    const parsed = JSON.parse(formatJsonReport(report));

    expect(
      parsed.checks.find((check: { id: string }) => check.id === 'idempotent-retry').reproduction.response.body,
    ).toBe(report.checks.find((check) => check.id === 'idempotent-retry')!.reproduction!.response!.body);
    expect(parsed.latency.timeline).toHaveLength(report.latency.timeline.length);
    expect(parsed.target).toEqual(report.target);
  });

  it('counts match the statuses of the checks', () => {
    const parsed = JSON.parse(formatJsonReport(passingReport()));
    const passed = parsed.checks.filter((check: { status: string }) => check.status === 'passed').length;
    expect(parsed.summary).toEqual({ passed, warnings: 0, failed: 0, skipped: 0 });
  });
});
