import { describe, expect, it } from 'vitest';
import { formatConsoleReport } from '../../../harness/report/console.ts';
import { failingReport, passingReport } from './fixture.ts';

const ESC = '\u001b';

describe('formatConsoleReport', () => {
  it('has a line per check with its mark and id, and the summary last', () => {
    const report = failingReport();
    const lines = formatConsoleReport(report, { color: false }).trimEnd().split('\n');

    for (const check of report.checks) {
      const mark = { passed: '✓', warning: '!', failed: '✗', skipped: '–' }[check.status];
      expect(lines.some((line) => line.startsWith(`${mark} ${check.id} `))).toBe(true);
    }
    expect(lines.at(-1)).toBe('7 passed, 1 warning, 3 failed, 1 skipped in 5.9 s');
  });

  it('shows why a check failed, what came back and the curl command that reproduces it', () => {
    const report = failingReport();
    const output = formatConsoleReport(report, { color: false });
    const check = report.checks.find((result) => result.id === 'idempotent-retry')!;

    expect(output).toContain('why   The retry answered 500 instead of 200');
    expect(output).toMatch(/got {3}HTTP 500 · text\/html; charset=utf-8 · <html><body><script>/);
    expect(output).toContain(`curl  ${check.reproduction!.curl.split('\n')[0]}`);
    expect(output).toContain('got   no response (timeout after 5000 ms)');
  });

  it('has no colour codes when colour is off, and has them when on', () => {
    expect(formatConsoleReport(failingReport(), { color: false })).not.toContain(ESC);
    expect(formatConsoleReport(failingReport(), { color: true })).toContain(`${ESC}[`);
  });

  it("never passes the endpoint's terminal escapes through", () => {
    const report = failingReport();
    const retry = report.checks.find((result) => result.id === 'idempotent-retry')!;
    retry.reproduction!.response!.body = '\u001b[2J\u001b]0;pwned\u0007{"error":"boom"}';
    retry.message = 'Body said \u001b[2J';

    const output = formatConsoleReport(report, { color: true });
    expect(output).not.toContain(`${ESC}[2J`);
    expect(output).not.toContain(`${ESC}]0;`);
    expect(output).toContain('\\u001b[2J');
  });

  it('fits 100 columns, except the curl command, which stays whole to be copied', () => {
    const report = failingReport();
    Object.assign(report.checks[0]!, {
      status: 'failed',
      title: 'A title far longer than the line has room for, so that it has to be cut somewhere sensible',
      message: 'word '.repeat(60),
      reproduction: report.checks.find((check) => check.id === 'idempotent-retry')!.reproduction,
    });
    const lines = formatConsoleReport(report, { color: false }).split('\n');
    const curlLines = new Set(
      report.checks.flatMap((check) => check.reproduction?.curl.split('\n').map((line) => line.trim()) ?? []),
    );

    const tooWide = lines.filter(
      (line) => line.length > 100 && !curlLines.has(line.replace(/^\s*(curl {2})?/, '').trim()),
    );
    expect(tooWide).toEqual([]);
  });

  it('shows the target, whether it is the embedded server, the seed, the notes and the latency', () => {
    const passing = formatConsoleReport(passingReport(), { color: false });
    expect(passing).toMatch(/^Target {3}POST http:\/\/127\.0\.0\.1:41873\/coupons {2}\(embedded reference server\)$/m);
    expect(passing).toMatch(/^Seed {5}42 /m);
    expect(passing).toMatch(/^Latency {2}p50 .* p95 within the 1 s budget, 137 requests$/m);

    const failing = formatConsoleReport(failingReport(), { color: false });
    expect(failing).not.toContain('embedded');
    expect(failing).toMatch(/^Notes\n {2}• couponMapping was given/m);
    expect(failing).toContain('p95 over the 1 s budget');
  });
});
