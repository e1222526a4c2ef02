import { describe, expect, it } from 'vitest';
import { formatHtmlReport } from '../../../harness/report/html.ts';
import { failingReport, passingReport } from './fixture.ts';

describe('formatHtmlReport', () => {
  it('shows a hostile response body as text, never as markup', () => {
    const html = formatHtmlReport(failingReport());

    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;/details&gt;');
    // The body's </details> must not close the reproduction early: opened and closed tags pair up.
    expect(html.match(/<details/g)?.length).toBe(html.match(/<\/details>/g)?.length);
    expect(html).toContain('خطأ في الخادم 😀');
    // Terminal escapes in the body appear as visible text, not as raw control characters.
    expect(html).not.toContain('\u001b');
    expect(html).toContain('\\u001b[2J');
  });

  it('forbids scripts and loads nothing from outside the file', () => {
    const html = formatHtmlReport(failingReport());

    expect(html).toContain(`content="default-src 'none'`);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('lists every check by id, with its status', () => {
    const report = failingReport();
    const html = formatHtmlReport(report);
    for (const check of report.checks) {
      expect(html).toContain(`<li class="check ${check.status}" id="check-${check.id}">`);
    }
  });

  it('states the verdict in the header', () => {
    expect(formatHtmlReport(passingReport())).toMatch(/<h1>Passed<\/h1>/);
    expect(formatHtmlReport(failingReport())).toMatch(/<h1>Failed<\/h1>/);
  });

  it('draws the latency chart: a point per request, coloured by status class, and the budget line', () => {
    const report = failingReport();
    const html = formatHtmlReport(report);
    const serverErrors = report.latency.timeline.filter(
      (sample) => sample.status !== null && sample.status >= 500,
    ).length;

    expect(html).toContain('<svg class="chart-svg"');
    expect(html.match(/<circle class="pt /g)).toHaveLength(report.latency.timeline.length);
    expect(html.match(/<circle class="pt s5xx"/g)).toHaveLength(serverErrors);
    expect(html).toContain('<circle class="pt serror"');
    expect(html).toMatch(/<line class="guide-budget"/);
  });

  it('draws slower requests higher on the chart, the budget above the p50', () => {
    const html = formatHtmlReport(failingReport());
    const y = (className: string) =>
      Number(html.match(new RegExp(`<line class="${className}"[^>]* y1="([\\d.]+)"`))![1]);
    // SVG y grows downwards.
    expect(y('guide-budget')).toBeLessThan(y('guide-p50'));
    expect(y('guide-p99')).toBeLessThan(y('guide-p95'));
  });

  it('shows the notes', () => {
    const report = failingReport();
    expect(formatHtmlReport(report)).toContain(
      'couponMapping was given as an array of {gameballType, merchantType} pairs',
    );
  });

  it('says so instead of drawing an empty chart when no request was sent', () => {
    const report = passingReport();
    report.latency = { ...report.latency, samples: 0, timeline: [] };
    const html = formatHtmlReport(report);
    expect(html).toContain('No requests were sent');
    expect(html).not.toContain('<svg class="chart-svg"');
  });
});
