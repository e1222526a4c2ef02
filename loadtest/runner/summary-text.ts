// The end-of-run summary on the console, laid out as k6's: each threshold with a tick or a cross,
// then the metrics k6 users read, then what gb-coupon adds (failures by kind, reconciliation).
import pc from 'picocolors';
import { replaceControlCharacters } from '../../core/report/untrusted-text.ts';
import { round } from '../../core/round.ts';
import { type LoadReport, loadExitCode } from './load-report.ts';
import { metricTypes, type ThresholdResult } from './thresholds.ts';

export function formatLoadSummary(report: LoadReport, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const lines: string[] = ['', ...thresholdLines(report, c)];
  for (const [name, value] of metricRows(report)) {
    lines.push(`  ${`${name}${c.dim('.'.repeat(22 - name.length))}`}: ${value}`);
  }
  const examples = Object.entries(report.failures.examples);
  if (examples.length > 0) {
    lines.push('', '  FIRST OF EACH FAILURE');
    // The target's words: shown, never obeyed by the terminal.
    for (const [kind, text] of examples) lines.push(`    ${kind}: ${replaceControlCharacters(text)}`);
  }
  lines.push('', ...closingLines(report, c));
  return `${lines.join('\n')}\n`;
}

type Colors = ReturnType<typeof pc.createColors>;

/** Each threshold with a tick or a cross, aligned; nothing when none was set. */
function thresholdLines(report: LoadReport, c: Colors): string[] {
  if (report.thresholds.length === 0) return [];
  const width = Math.max(0, ...report.thresholds.map((t) => t.metric.length));
  const exprWidth = Math.max(0, ...report.thresholds.map((t) => t.expression.length));
  return [
    '  THRESHOLDS',
    ...report.thresholds.map((t) => {
      const mark = t.ok ? c.green('✓') : c.red('✗');
      return `    ${mark} ${t.metric.padEnd(width)}  ${t.expression.padEnd(exprWidth)}  ${c.dim(thresholdValue(t))}`;
    }),
    '',
  ];
}

/** The metrics k6 users read, then what gb-coupon adds, as name and value. */
function metricRows(report: LoadReport): [string, string][] {
  const l = report.latencyMs;
  const { count: failedCount, of: finished } = report.httpReqFailed;
  const rows: [string, string][] = [
    ['data_received', dataText(report.data.received, report.durationMs)],
    ['data_sent', dataText(report.data.sent, report.durationMs)],
    ['http_reqs', `${report.requests}  ${perSecond(report.requests, report.durationMs)}/s`],
    [
      'http_req_duration',
      `avg=${ms(l.avg)} min=${ms(l.min)} med=${ms(l.p50)} max=${ms(l.max)} p(90)=${ms(l.p90)} p(95)=${ms(l.p95)} p(99)=${ms(l.p99)}`,
    ],
    ['http_req_failed', `${percent(finished === 0 ? 0 : failedCount / finished)}  ${failedCount} of ${finished}`],
    ['checks', `${percent(report.checks.rate)}  ${report.checks.passed} of ${report.checks.total}`],
    ['dropped_iterations', `${report.dropped}`],
    ['completed', `${report.answered} answered  ${report.rps}/s`],
    ['failures', failureText(report)],
  ];
  for (const instance of report.instances ?? []) {
    rows.push(['instance', `${instance.url}  ${instance.requests} sent, ${instance.failures} failed`]);
  }
  if (report.reconcile) {
    const r = report.reconcile;
    rows.push([
      'reconcile',
      `${r.checked} looked up${r.lookups ? ` through ${r.lookups.length} instances, each through one that did not answer it` : ''}: ${r.stored} stored, ${r.notStored} acknowledged but not stored${r.lookupErrors ? `, ${r.lookupErrors} lookups failed (${replaceControlCharacters(r.firstError ?? '')})` : ''}`,
    ]);
    if (r.missingCodes.length > 0)
      rows.push(['not stored', replaceControlCharacters(r.missingCodes.slice(0, 5).join(', '))]);
  }
  return rows;
}

/** Why the run stopped early, if it did, and the verdict with the exit code the command ends with. */
function closingLines(report: LoadReport, c: Colors): string[] {
  const exit = loadExitCode(report);
  const withExit = (sentence: string): string => (exit === 0 ? `${sentence}.` : `${sentence} (exit ${exit}).`);
  const lines: string[] = [];
  if (report.stoppedBy?.reason === 'interrupted')
    lines.push(c.yellow('  Interrupted: the figures cover what ran before Ctrl-C.'));
  if (report.stoppedBy?.reason === 'threshold') {
    lines.push(
      c.red(`  Stopped early: ${report.stoppedBy.metric} ${report.stoppedBy.expression} was crossed (abortOnFail).`),
    );
  }
  const crossed = report.thresholds.filter((t) => !t.ok).length;
  if (exit === 1) lines.push(c.red(withExit('  FAILED: no request reached the target')));
  else if (report.passed) {
    const held =
      report.thresholds.length === 0 ? 'no thresholds were set' : `all ${report.thresholds.length} thresholds held`;
    lines.push(c.green(withExit(`  PASSED: ${held}`)));
  } else lines.push(c.red(withExit(`  FAILED: ${crossed} of ${report.thresholds.length} thresholds crossed`)));
  return lines;
}

/** Bytes as k6 prints them: decimal units and the rate, `1.2 MB  240 kB/s`. */
function dataText(bytes: number, durationMs: number): string {
  return `${decimalBytes(bytes)}  ${decimalBytes(bytes / (Math.max(durationMs, 1) / 1000))}/s`;
}

export function decimalBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  // Rounding may reach the next unit: 999,960 bytes show as 1.0 MB, not 1000 kB.
  while (
    unit < units.length - 1 &&
    (unit === 0 ? Math.round(value) : Number(value.toFixed(value < 9.95 ? 1 : 0))) >= 1000
  ) {
    value /= 1000;
    unit++;
  }
  const shown = unit === 0 ? String(Math.round(value)) : value.toFixed(value < 9.95 ? 1 : 0);
  return `${shown} ${units[unit]}`;
}

function failureText(report: LoadReport): string {
  const f = report.failures;
  const parts = [
    ...Object.entries(f.statuses).map(([status, n]) => `HTTP ${status} ×${n}`),
    f.missingCode ? `200 without the code ×${f.missingCode}` : '',
    f.duplicateCodes ? `a code already given ×${f.duplicateCodes}` : '',
    f.schemaViolations ? `schema violations ×${f.schemaViolations}` : '',
    f.timeouts ? `timeouts ×${f.timeouts}` : '',
    f.connectionErrors ? `connection errors ×${f.connectionErrors}` : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** The observed value next to a threshold, as k6 prints it: `p(95)=12.3ms`, `rate=0.05%`, `count=3`. */
export function thresholdValue(t: ThresholdResult): string {
  const method = /^\s*([a-z]+(?:\([^)]*\))?)/.exec(t.expression)?.[1]?.replace(/\s+/g, '') ?? '';
  if (metricTypes[t.metric] === 'trend') return `${method}=${ms(t.value)}`;
  if (method === 'count') return `count=${t.value}`;
  if (metricTypes[t.metric] === 'rate') return `rate=${percent(t.value)}`;
  return `rate=${round(t.value)}/s`;
}

export function ms(value: number): string {
  if (value >= 1000) return `${round(value / 1000, 2)}s`;
  return `${round(value, value < 10 ? 2 : 1)}ms`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}

function perSecond(count: number, durationMs: number): string {
  return String(round(count / (Math.max(durationMs, 1) / 1000), 1));
}
