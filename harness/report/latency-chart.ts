// The latency chart of the HTML report: every request of the run as a point (time sent, response
// time), coloured by status class, against the budget and the run's p50/p95/p99.
//
// The response-time axis is logarithmic: a local endpoint answers in a few milliseconds against a
// 1000 ms budget, and on a linear axis every point would sit on the floor of the chart.
// The SVG has no viewBox: it stretches to the page width with x in percent and y in pixels, so points
// stay round and text stays legible from a phone to a wide screen. The axis labels live in HTML
// gutters beside it so that they never overlap a point.

import { escapeHtml } from '../../core/report/html-escape.ts';
import { round } from '../../core/round.ts';
import { formatDuration } from './format.ts';
import type { LatencySample, LatencySummary } from './types.ts';

const HEIGHT = 260;
const PLOT_TOP = 14;
const PLOT_BOTTOM = 226;
const X_LABEL_Y = 248;
/** Points keep clear of the plot's left and right edges, in percent of its width. */
const X_START = 1.5;
const X_SPAN = 97;
const LABEL_GAP = 14;

type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'error';
const STATUS_CLASSES: StatusClass[] = ['2xx', '3xx', '4xx', '5xx', 'error'];

export function renderLatencyChart(latency: LatencySummary): string {
  if (latency.timeline.length === 0)
    return '<p class="muted">No requests were sent, so there is no latency to show.</p>';

  const y = responseTimeScale(latency);
  const x = sentAtScale(latency.timeline);
  const guides = [
    { className: 'guide-budget', label: `budget ${formatDuration(latency.budgetMs)}`, y: y.position(latency.budgetMs) },
    { className: 'guide-p99', label: `p99 ${formatDuration(latency.p99)}`, y: y.position(latency.p99) },
    { className: 'guide-p95', label: `p95 ${formatDuration(latency.p95)}`, y: y.position(latency.p95) },
    { className: 'guide-p50', label: `p50 ${formatDuration(latency.p50)}`, y: y.position(latency.p50) },
  ];
  const description = `Response time of each of the ${latency.samples} requests over the run: p50 ${formatDuration(latency.p50)}, p95 ${formatDuration(latency.p95)}, p99 ${formatDuration(latency.p99)}, budget ${formatDuration(latency.budgetMs)}.`;

  const svg = [
    `<svg class="chart-svg" width="100%" height="${HEIGHT}" role="img" aria-label="${escapeHtml(description)}">`,
    ...y.ticks.map((tick) => `<line class="grid" x1="0" x2="100%" y1="${tick.y}" y2="${tick.y}"/>`),
    `<line class="axis" x1="0" x2="100%" y1="${PLOT_BOTTOM}" y2="${PLOT_BOTTOM}"/>`,
    ...guides.map((guide) => `<line class="${guide.className}" x1="0" x2="100%" y1="${guide.y}" y2="${guide.y}"/>`),
    ...latency.timeline.map((sample) => point(sample, x.position(sample.atMs), y.position(sample.durationMs))),
    ...x.ticks.map(
      (tick) =>
        `<text class="x-label" x="${tick.x}%" y="${X_LABEL_Y}" text-anchor="${tick.anchor}">${tick.label}</text>`,
    ),
    '</svg>',
  ];

  return [
    '<figure class="chart">',
    '<div class="chart-body">',
    `<div class="chart-gutter chart-y" aria-hidden="true">${y.ticks.map((tick) => gutterLabel(tick.label, tick.y)).join('')}</div>`,
    `<div class="chart-plot">${svg.join('')}</div>`,
    `<div class="chart-gutter chart-guides" aria-hidden="true">${spreadApart(guides)
      .map((guide) => gutterLabel(guide.label, guide.y, guide.className))
      .join('')}</div>`,
    '</div>',
    `<figcaption class="chart-legend">${legend(latency.timeline)}<span class="legend-axis">↑ response time (log scale) · time since the run started →</span></figcaption>`,
    '</figure>',
  ].join('\n');
}

function point(sample: LatencySample, xPercent: number, y: number): string {
  const status = statusClass(sample.status);
  const outcome = sample.status === null ? 'no response' : `HTTP ${sample.status}`;
  const tooltip = `${sample.checkId} · ${outcome} · ${formatDuration(sample.durationMs)}, sent at ${formatDuration(sample.atMs)}`;
  return `<circle class="pt s${status}" cx="${round(xPercent)}%" cy="${round(y)}" r="3.5"><title>${escapeHtml(tooltip)}</title></circle>`;
}

function statusClass(status: number | null): StatusClass {
  if (status === null || status < 200 || status >= 600) return 'error';
  return `${Math.floor(status / 100)}xx` as StatusClass;
}

function legend(timeline: LatencySample[]): string {
  const counts = new Map<StatusClass, number>();
  for (const sample of timeline)
    counts.set(statusClass(sample.status), (counts.get(statusClass(sample.status)) ?? 0) + 1);
  const items = STATUS_CLASSES.filter((status) => counts.has(status)).map(
    (status) =>
      `<span class="legend-item"><span class="legend-dot s${status}"></span>${status === 'error' ? 'no response' : status} <span class="muted">${counts.get(status)}</span></span>`,
  );
  const guides = [
    '<span class="legend-item"><span class="legend-line guide-budget"></span>budget</span>',
    '<span class="legend-item"><span class="legend-line guide-p95"></span>p95</span>',
  ];
  return [...items, ...guides].join('');
}

function gutterLabel(text: string, y: number, className = ''): string {
  return `<span class="${className}" style="top:${round(y)}px">${escapeHtml(text)}</span>`;
}

/** Nudges gutter labels apart so that close percentiles (p95 and p99 often are) do not overprint. */
function spreadApart<T extends { y: number }>(labels: T[]): T[] {
  const sorted = [...labels].sort((a, b) => a.y - b.y).map((label) => ({ ...label }));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    sorted[i]!.y = Math.max(sorted[i]!.y, previous.y + LABEL_GAP);
  }
  // Pushed below the plot: walk back up from the bottom.
  for (let i = sorted.length - 1; i >= 0; i--) {
    const limit = i === sorted.length - 1 ? PLOT_BOTTOM : sorted[i + 1]!.y - LABEL_GAP;
    sorted[i]!.y = Math.min(sorted[i]!.y, limit);
  }
  return sorted;
}

/** Log scale from a power of ten under the fastest answer to a little above the budget or the slowest. */
function responseTimeScale(latency: LatencySummary) {
  const durations = latency.timeline.map((sample) => sample.durationMs).filter((ms) => ms > 0);
  // reduce, not Math.min(...durations): a spread of a very long run would overflow the call stack.
  const fastest = Math.max(
    0.1,
    durations.reduce((min, ms) => Math.min(min, ms), latency.p50 > 0 ? latency.p50 : Infinity),
  );
  const low = 10 ** Math.floor(Math.log10(Number.isFinite(fastest) ? fastest : 1));
  const high = durations.reduce((max, ms) => Math.max(max, ms), Math.max(latency.max, latency.budgetMs)) * 1.4;
  const span = Math.log10(high) - Math.log10(low);
  const position = (ms: number) =>
    PLOT_BOTTOM - ((Math.log10(Math.max(ms, low)) - Math.log10(low)) / span) * (PLOT_BOTTOM - PLOT_TOP);

  // 1, 10, 100 … and, when the range is only a few decades, 2 and 5 between them.
  const steps = span <= 3 ? [1, 2, 5] : [1];
  const ticks: { y: number; label: string }[] = [];
  for (let decade = low; decade <= high; decade *= 10) {
    for (const step of steps) {
      const value = Number((decade * step).toPrecision(3));
      if (value <= high) ticks.push({ y: round(position(value)), label: tickLabel(value) });
    }
  }
  return { position, ticks };
}

/** Linear scale over the time the requests were sent, with round steps (1, 2 or 5 times a power of ten). */
function sentAtScale(timeline: LatencySample[]) {
  const last = timeline.reduce((max, sample) => Math.max(max, sample.atMs), 1);
  const roughStep = last / 4;
  const magnitude = 10 ** Math.floor(Math.log10(roughStep));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= roughStep) ?? roughStep;
  const end = Math.ceil(last / step) * step;
  const position = (ms: number) => X_START + (ms / end) * X_SPAN;
  const ticks: { x: number; label: string; anchor: string }[] = [];
  for (let value = 0; value <= end + step / 2; value += step) {
    const x = position(value);
    ticks.push({ x: round(x), label: tickLabel(value), anchor: value === 0 ? 'start' : x > 90 ? 'end' : 'middle' });
  }
  return { position, ticks };
}

function tickLabel(ms: number): string {
  const value = Number(ms.toPrecision(3));
  return value >= 1000 ? `${Number((value / 1000).toPrecision(3))} s` : `${value} ms`;
}
