// The stylesheet of the HTML reports (verify's and load's), inlined into the page so that it is one
// file with nothing to fetch.
// Quiet neutrals with green/red/amber only where they carry meaning; readable from 360 px to wide
// screens, and on paper.

export const HTML_REPORT_STYLES = `
:root {
  color-scheme: light;
  --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --subtle: #f6f8fa; --bg: #ffffff;
  --green: #1a7f37; --green-bg: #dafbe1; --red: #d1242f; --red-bg: #ffebe9;
  --amber: #9a6700; --amber-bg: #fff8c5; --blue: #0969da; --purple: #8250df;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--subtle); color: var(--fg);
  font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
}
.page { max-width: 1040px; margin: 0 auto; padding: 32px 24px 48px; }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
h2 { font-size: 16px; margin: 0 0 12px; }
.muted { color: var(--muted); }

.hero {
  display: flex; gap: 20px; align-items: flex-start; background: var(--bg);
  border: 1px solid var(--border); border-top: 4px solid var(--green); border-radius: 10px; padding: 24px;
}
.hero.failed { border-top-color: var(--red); }
.hero.passed.warned { border-top-color: var(--amber); }
.hero.passed.warned h1 { color: var(--amber); }
.verdict-icon { flex: none; width: 56px; height: 56px; }
.eyebrow { margin: 0; color: var(--muted); font-size: 13px; }
.hero h1 { margin: 2px 0 4px; font-size: 30px; line-height: 1.2; letter-spacing: -0.01em; }
.hero.passed h1 { color: var(--green); }
.hero.failed h1 { color: var(--red); }
.hero p { margin: 4px 0 0; }
.target { display: flex; flex-wrap: wrap; gap: 6px 8px; align-items: center; margin-top: 10px !important; }
.target code { overflow-wrap: anywhere; background: var(--subtle); padding: 2px 6px; border-radius: 6px; }
.method { font: 600 11px var(--mono); padding: 2px 6px; border-radius: 6px; background: #ddf4ff; color: var(--blue); }
.failed-links a {
  font: 600 12.5px var(--mono); color: var(--red); text-decoration: none; margin-right: 6px;
  background: var(--red-bg); padding: 1px 6px; border-radius: 6px;
}
.failed-links a:hover { text-decoration: underline; }
.tag { font-size: 12px; padding: 1px 8px; border-radius: 999px; border: 1px solid var(--border); color: var(--muted); }

.stats { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 12px; margin: 16px 0; }
.stat { background: var(--bg); border: 1px solid var(--border); border-radius: 10px; padding: 12px 16px; }
.stat-label { color: var(--muted); font-size: 12px; }
.stat-value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.stat-note { color: var(--muted); font-size: 12px; }
.stat.passed .stat-value { color: var(--green); }
.stat.failed .stat-value { color: var(--red); }
.stat.warnings .stat-value { color: var(--amber); }
.stat.skipped .stat-value { color: var(--muted); }
.stat .stat-value.zero { color: var(--muted); }
.stat.over .stat-value { color: var(--red); }

.card { background: var(--bg); border: 1px solid var(--border); border-radius: 10px; padding: 20px 24px; margin-top: 16px; }
.notes ul { margin: 0; padding-left: 20px; }
.notes li + li { margin-top: 4px; }

.checks { list-style: none; margin: 0; padding: 0; }
.check { padding: 12px 0; border-top: 1px solid var(--border); break-inside: avoid; }
.check:first-child { border-top: 0; padding-top: 0; }
.check-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; }
.badge {
  flex: none; font-size: 12px; font-weight: 600; line-height: 18px; padding: 1px 8px; border-radius: 999px;
  min-width: 64px; text-align: center;
}
.badge.passed { background: var(--green-bg); color: var(--green); }
.badge.failed { background: var(--red-bg); color: var(--red); }
.badge.warning { background: var(--amber-bg); color: var(--amber); }
.badge.skipped { background: var(--subtle); color: var(--muted); border: 1px solid var(--border); }
.depends { font-size: 12px; color: var(--muted); margin-left: 8px; }
.finding { margin: 8px 0 0 74px; overflow-wrap: anywhere; }
.finding .kind { font: 600 11.5px var(--mono); padding: 1px 6px; border-radius: 6px; margin-right: 6px; }
.finding.failure .kind { background: var(--red-bg); color: var(--red); }
.finding.warning .kind { background: var(--amber-bg); color: var(--amber); }
.check .finding + details { margin-top: 6px; }
.warned-links a { font: 600 12.5px var(--mono); color: var(--amber); text-decoration: none; margin-right: 6px; background: var(--amber-bg); padding: 1px 6px; border-radius: 6px; }
.check-message.alarm { color: var(--amber); font-weight: 600; }
.check-id { font-weight: 600; }
.check-title { flex: 1 1 240px; min-width: 0; }
.duration { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; font-size: 12px; }
.check-message { margin: 6px 0 0 74px; color: var(--muted); overflow-wrap: anywhere; }
.check.failed .check-message { color: var(--fg); }
.check details { margin: 10px 0 0 74px; border: 1px solid var(--border); border-radius: 8px; background: var(--subtle); }
.check summary { cursor: pointer; padding: 8px 12px; font-weight: 600; font-size: 13px; }
.check summary .muted { font-weight: 400; }
.exchange { padding: 0 12px 12px; }
.exchange h3 { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); margin: 12px 0 6px; }
.exchange pre {
  margin: 0; padding: 10px 12px; background: var(--bg); border: 1px solid var(--border); border-radius: 6px;
  white-space: pre-wrap; overflow-wrap: anywhere; max-height: 320px; overflow: auto;
}
.exchange pre.curl { background: #1f2328; color: #f0f6fc; border-color: #1f2328; }

.latency-stats { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 0 0 16px; }
.latency-stats div { font-variant-numeric: tabular-nums; }
.latency-stats .label { color: var(--muted); font-size: 12px; display: block; }
.latency-stats .value { font-size: 18px; font-weight: 600; }
.latency-stats .over { color: var(--red); }
.chart { margin: 0; }
.chart-body { display: flex; }
.chart-plot { flex: 1; min-width: 0; }
.chart-svg { display: block; overflow: visible; }
.chart-gutter { position: relative; flex: none; height: 260px; font: 11px/1 var(--mono); color: var(--muted); }
.chart-gutter span { position: absolute; transform: translateY(-50%); white-space: nowrap; }
.chart-y { width: 64px; }
.chart-y span { right: 8px; }
.chart-guides { width: 92px; }
.chart-guides span { left: 8px; }
.chart-guides .guide-budget { color: var(--red); font-weight: 600; }
.chart-guides .guide-p95 { color: var(--fg); }
.grid { stroke: #eaeef2; }
.axis { stroke: var(--border); }
.guide-budget { stroke: var(--red); stroke-width: 1.5; stroke-dasharray: 6 4; }
.guide-p95 { stroke: #6e7781; stroke-width: 1; stroke-dasharray: 2 3; }
.guide-p50, .guide-p99 { stroke: #afb8c1; stroke-width: 1; stroke-dasharray: 2 3; }
.x-label { font: 11px var(--mono); fill: var(--muted); }
.pt { stroke: #fff; stroke-width: 1; fill-opacity: 0.8; }
.s2xx { fill: var(--green); background: var(--green); }
.s3xx { fill: var(--blue); background: var(--blue); }
.s4xx { fill: #d4a72c; background: #d4a72c; }
.s5xx { fill: var(--red); background: var(--red); }
.pt.serror { fill: #fff; stroke: var(--purple); stroke-width: 2; }
.chart-legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 12px 0 0 64px; font-size: 12px; }
.legend-item { display: inline-flex; align-items: center; gap: 6px; }
.legend-dot { width: 9px; height: 9px; border-radius: 50%; }
.legend-dot.serror { background: #fff; border: 2px solid var(--purple); }
.legend-line { width: 18px; border-top: 2px dashed; }
.legend-line.guide-budget { border-color: var(--red); }
.legend-line.guide-p95 { border-top: 2px dotted #6e7781; }
.legend-axis { margin-left: auto; color: var(--muted); }

footer { margin-top: 24px; color: var(--muted); font-size: 12px; text-align: center; }

@media (max-width: 640px) {
  .page { padding: 16px 12px 32px; }
  .hero { padding: 16px; gap: 12px; }
  .verdict-icon { width: 40px; height: 40px; }
  .hero h1 { font-size: 24px; }
  .stats { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .card { padding: 16px; }
  .check-message, .check details { margin-left: 0; }
  .chart-y { width: 52px; }
  .chart-guides { width: 84px; }
  .chart-legend { margin-left: 0; }
  .legend-axis { margin-left: 0; width: 100%; }
}
@media print {
  body { background: #fff; }
  .page { max-width: none; padding: 0; }
  .hero, .card, .stat { border-color: #bbb; }
  .exchange pre { max-height: none; overflow: visible; }
  .exchange pre.curl { background: #fff; color: var(--fg); border-color: #bbb; }
}
`;
