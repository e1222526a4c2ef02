// The load report as one page (core/report/html-page.ts): verdict, thresholds, figures, and three
// charts over time (throughput, latency percentiles, failures and drops), as inline SVG. Every
// string is escaped on the way in.
import { htmlText } from '../../core/report/html-escape.ts';
import { htmlPage } from '../../core/report/html-page.ts';
import { round } from '../../core/round.ts';
import type { LoadReport } from './load-report.ts';
import type { TimelinePoint } from './metrics.ts';
import { decimalBytes, ms, thresholdValue } from './summary-text.ts';

const LOAD_STYLES = `
.thresholds { width: 100%; border-collapse: collapse; }
.thresholds td, .thresholds th { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--border); }
.thresholds th { color: var(--muted); font-weight: 600; font-size: 12px; }
.ok { color: var(--green); font-weight: 600; } .crossed { color: var(--red); font-weight: 600; }
.load-chart { width: 100%; height: auto; display: block; }
.load-chart text { font: 11px var(--mono); fill: var(--muted); }
.legend { display: flex; gap: 16px; margin: 4px 0 8px; font-size: 12.5px; color: var(--muted); flex-wrap: wrap; }
.legend i { display: inline-block; width: 12px; height: 3px; vertical-align: middle; margin-right: 6px; }
.failures li { margin: 4px 0; } .failures code { white-space: pre-wrap; word-break: break-all; }
`;

export function formatLoadHtml(report: LoadReport): string {
  return htmlPage({
    title: `${report.passed ? 'Passed' : 'Failed'} · gb-coupon load · ${report.target.url}`,
    styles: LOAD_STYLES,
    body: `${hero(report)}
${stats(report)}
<section class="card" id="thresholds">
<h2>Thresholds</h2>
${thresholdTable(report)}
</section>
<section class="card" id="throughput">
<h2>Throughput</h2>
${chart(
  report.timeline,
  [
    { label: 'sent/s', colour: '#0969da', value: (p, seconds) => p.sent / seconds },
    { label: 'completed/s', colour: '#1a7f37', value: (p, seconds) => p.completed / seconds },
    { label: 'dropped/s', colour: '#9a6700', value: (p, seconds) => p.dropped / seconds },
  ],
  (v) => `${round(v, 1)}/s`,
)}
</section>
<section class="card" id="latency">
<h2>Latency (from each request's scheduled time)</h2>
${chart(
  report.timeline,
  [
    { label: 'p50', colour: '#1a7f37', value: (p) => (p.completed ? p.p50 : undefined) },
    { label: 'p95', colour: '#9a6700', value: (p) => (p.completed ? p.p95 : undefined) },
    { label: 'p99', colour: '#d1242f', value: (p) => (p.completed ? p.p99 : undefined) },
  ],
  ms,
)}
</section>
<section class="card" id="failures">
<h2>Failures over time</h2>
${chart(
  report.timeline,
  [
    { label: 'failed/s', colour: '#d1242f', value: (p, seconds) => p.failed / seconds },
    { label: 'dropped/s', colour: '#9a6700', value: (p, seconds) => p.dropped / seconds },
  ],
  (v) => `${round(v, 1)}/s`,
)}
${failureList(report)}
</section>
${reconcileCard(report)}
<footer>${htmlText(report.tool.name)} ${htmlText(report.tool.version)} · seed ${report.seed} · started ${htmlText(report.startedAt)}</footer>`,
  });
}

function hero(report: LoadReport): string {
  const crossed = report.thresholds.filter((t) => !t.ok).length;
  const subline = report.passed
    ? `All ${report.thresholds.length} thresholds held over ${report.requests} requests.`
    : `${crossed} of ${report.thresholds.length} thresholds crossed over ${report.requests} requests.`;
  const stopped =
    report.stoppedBy?.reason === 'interrupted'
      ? '<p><strong>Interrupted</strong>: these figures cover what ran before Ctrl-C.</p>'
      : report.stoppedBy?.reason === 'threshold'
        ? `<p><strong>Stopped early</strong>: ${htmlText(report.stoppedBy.metric)} ${htmlText(report.stoppedBy.expression)} was crossed (abortOnFail).</p>`
        : '';
  return `<header class="hero ${report.passed ? 'passed' : 'failed'}">
<div>
<p class="eyebrow">gb-coupon load · ${htmlText(report.load.description)} · ${report.load.connections} connections · mix ${htmlText(
    Object.entries(report.load.mix)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
  )}</p>
<h1>${report.passed ? 'Passed' : 'Failed'}</h1>
<p>${subline}</p>
${stopped}
<p class="target"><span class="method">${htmlText(report.target.method.toUpperCase())}</span><code>${htmlText(report.target.url)}</code>${report.target.embedded ? '<span class="tag">embedded reference server</span>' : ''}</p>
${(report.instances ?? []).map((i) => `<p class="target muted">Instance <code>${htmlText(i.url)}</code> · ${i.requests} sent · ${i.failures} failed</p>`).join('\n')}
<p class="muted">Ran ${(report.durationMs / 1000).toFixed(1)} s · sent ${decimalBytes(report.data.sent)} · received ${decimalBytes(report.data.received)}</p>
</div>
</header>`;
}

function stats(report: LoadReport): string {
  const tile = (className: string, label: string, value: string, note: string) =>
    `<div class="stat ${className}"><div class="stat-label">${label}</div><div class="stat-value">${value}</div><div class="stat-note">${note}</div></div>`;
  const l = report.latencyMs;
  return `<section class="stats">
${tile('', 'Requests', String(report.requests), `${report.rps}/s completed`)}
${tile('', 'p95 latency', ms(l.p95), `p50 ${ms(l.p50)} · p99 ${ms(l.p99)} · max ${ms(l.max)}`)}
${tile(report.errors > 0 ? 'failed' : '', 'Failed', String(report.errors), `${report.schemaViolations} schema violations`)}
${tile(report.dropped > 0 ? 'over' : '', 'Dropped', String(report.dropped), 'not sent in time')}
</section>`;
}

function thresholdTable(report: LoadReport): string {
  if (report.thresholds.length === 0) return '<p class="muted">No thresholds were set.</p>';
  const rows = report.thresholds
    .map(
      (t) =>
        `<tr><td class="${t.ok ? 'ok' : 'crossed'}">${t.ok ? '✓ held' : '✗ crossed'}</td><td><code>${htmlText(t.metric)}</code></td><td><code>${htmlText(t.expression)}</code></td><td><code>${htmlText(thresholdValue(t))}</code></td></tr>`,
    )
    .join('\n');
  return `<table class="thresholds"><thead><tr><th></th><th>Metric</th><th>Threshold</th><th>Observed</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function failureList(report: LoadReport): string {
  const f = report.failures;
  const items = [
    ...Object.entries(f.statuses).map(([status, n]) => `HTTP ${status}: ${n}`),
    f.missingCode ? `200 without the code: ${f.missingCode}` : '',
    f.duplicateCodes ? `a code already given to another delivery: ${f.duplicateCodes}` : '',
    f.schemaViolations ? `answers violating the contract: ${f.schemaViolations}` : '',
    f.timeouts ? `timeouts: ${f.timeouts}` : '',
    f.connectionErrors ? `connection errors: ${f.connectionErrors}` : '',
  ].filter(Boolean);
  if (items.length === 0) return '<p class="muted">No request failed.</p>';
  const examples = Object.entries(f.examples)
    .map(([kind, text]) => `<li>First ${htmlText(kind)}: <code>${htmlText(text)}</code></li>`)
    .join('');
  return `<ul class="failures">${items.map((i) => `<li>${htmlText(i)}</li>`).join('')}${examples}</ul>`;
}

function reconcileCard(report: LoadReport): string {
  const r = report.reconcile;
  if (!r) return '';
  return `<section class="card" id="reconcile">
<h2>Reconciliation</h2>
<p>${r.checked} codes answered 200 were looked up at ${lookupPlaces(r)}: ${r.stored} stored, <strong class="${r.notStored ? 'crossed' : 'ok'}">${r.notStored} acknowledged but not stored</strong>${r.lookupErrors ? `, ${r.lookupErrors} lookups failed (${htmlText(r.firstError ?? '')})` : ''}.</p>
${r.missingCodes.length ? `<p>Not stored: <code>${htmlText(r.missingCodes.join(', '))}</code></p>` : ''}
</section>`;
}

/** Where the codes were read back: the lookup, or each instance's when a fleet was read through. */
function lookupPlaces(r: NonNullable<LoadReport['reconcile']>): string {
  if (!r.lookups) return `<code>${htmlText(r.lookup)}</code>`;
  const each = r.lookups.map((lookup) => `<code>${htmlText(lookup)}</code>`).join(', ');
  return `${each} (each code through an instance other than the one that answered it)`;
}

interface Series {
  label: string;
  colour: string;
  /**
   * The value at a point of the timeline; `seconds` is how long its interval was (the last one of a
   * run is shorter than a second, so counts become rates by it). Undefined leaves a gap, as for the
   * latency of a second in which nothing was answered.
   */
  value: (point: TimelinePoint, seconds: number) => number | undefined;
}

const W = 960;
const H = 220;
const LEFT = 64;
const RIGHT = 12;
const TOP = 10;
const BOTTOM = 28;

/** A line chart of per-second values against seconds since the start. */
function chart(points: TimelinePoint[], series: Series[], label: (value: number) => string): string {
  if (points.length === 0) return '<p class="muted">The run was too short to chart.</p>';
  const maxX = Math.max(points[points.length - 1]!.second, 1);
  const seconds = points.map((p, i) => Math.max(p.second - (i === 0 ? 0 : points[i - 1]!.second), 0.1));
  const values = series.map((s) => points.map((p, i) => s.value(p, seconds[i]!)));
  const maxY = niceCeiling(Math.max(1, ...values.flat().filter((v) => v !== undefined)));
  const x = (second: number): number => LEFT + (second / maxX) * (W - LEFT - RIGHT);
  const y = (value: number): number => TOP + (1 - value / maxY) * (H - TOP - BOTTOM);
  const grid = [0, 0.2, 0.4, 0.6, 0.8, 1]
    .map((f) => {
      const v = maxY * f;
      return `<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d1d9e0" stroke-width="1"/><text x="${LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${htmlText(label(v))}</text>`;
    })
    .join('');
  const ticks = xTicks(maxX)
    .map((s) => `<text x="${x(s).toFixed(1)}" y="${H - 8}" text-anchor="middle">${s}s</text>`)
    .join('');
  const lines = series
    .flatMap((s, n) =>
      runsOf(points, values[n]!).map((run) => {
        const path = run.map(([p, v]) => `${x(p.second).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
        return `<polyline fill="none" stroke="${s.colour}" stroke-width="2" stroke-linejoin="round" points="${path}"/>`;
      }),
    )
    .join('');
  const legend = series.map((s) => `<span><i style="background:${s.colour}"></i>${htmlText(s.label)}</span>`).join('');
  return `<div class="legend">${legend}</div><svg class="load-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${htmlText(series.map((s) => s.label).join(', '))} per second">${grid}${ticks}${lines}</svg>`;
}

/** The runs of points that have a value, each drawn as one line (a gap between them). */
function runsOf(points: TimelinePoint[], values: (number | undefined)[]): [TimelinePoint, number][][] {
  const runs: [TimelinePoint, number][][] = [[]];
  points.forEach((point, i) => {
    const value = values[i];
    if (value === undefined) runs.push([]);
    else runs[runs.length - 1]!.push([point, value]);
  });
  return runs.filter((run) => run.length > 0);
}

function xTicks(maxX: number): number[] {
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600].find((s) => maxX / s <= 10) ?? 7200;
  const ticks: number[] = [];
  for (let s = 0; s <= maxX + 1e-9; s += step) ticks.push(s);
  return ticks;
}

function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * power >= value) ?? 10) * power;
}
