// The verify report as one page (core/report/html-page.ts): the verdict, the counts, every check
// with its reproduction, the latency chart and the notes. Every string is escaped on the way in.

import { htmlText } from '../../core/report/html-escape.ts';
import { htmlPage } from '../../core/report/html-page.ts';
import { requestText, responseText } from './exchange-text.ts';
import {
  formatDuration,
  formatTimestamp,
  observedOutcome,
  responseContentType,
  runPassed,
  summarySentence,
} from './format.ts';
import { renderLatencyChart } from './latency-chart.ts';
import type { CheckResult, FindingResult, LatencySummary, Report, Reproduction } from './types.ts';

/** A body larger than this is cut in the page; report.json keeps what the harness recorded. */
const MAX_BODY_CHARS = 20_000;

const STATUS_LABELS = { passed: 'Passed', warning: 'Warning', failed: 'Failed', skipped: 'Skipped' } as const;

export function formatHtmlReport(report: Report): string {
  const passed = runPassed(report);
  return htmlPage({
    title: `${passed ? 'Passed' : 'Failed'} · ${report.tool.name} ${report.tool.command ?? 'verify'} · ${report.target.url}`,
    body: `${hero(report)}
${stats(report)}
${notes(report.notes)}
<section class="card" id="checks">
<h2>Checks</h2>
<ol class="checks">
${report.checks.map(check).join('\n')}
</ol>
</section>
<section class="card" id="latency">
<h2>Latency</h2>
${latencyFigures(report.latency)}
${renderLatencyChart(report.latency)}
</section>
<footer>${htmlText(summarySentence(report))} · ${htmlText(report.tool.name)} ${htmlText(report.tool.version)} · started ${htmlText(formatTimestamp(report.startedAt))}</footer>`,
  });
}

function hero(report: Report): string {
  const passed = runPassed(report);
  const { failed, warnings } = report.summary;
  const ran = report.summary.passed + failed + warnings;
  const headline = passed ? (warnings > 0 ? 'Passed with warnings' : 'Passed') : 'Failed';
  const advice =
    warnings > 0
      ? ` ${warnings} warned: advice, not what Gameball needs${report.strict ? ', but --strict makes warnings fail the run' : ''}.`
      : '';
  const subline =
    ran === 0
      ? 'No check ran, so nothing about this endpoint was verified.'
      : failed === 0
        ? `No check that ran failed.${advice}`
        : `${failed} of ${ran} checks failed. Each one below says what Gameball needs and how to reproduce the problem.${advice}`;
  return `<header class="hero ${passed ? 'passed' : 'failed'}${passed && warnings > 0 ? ' warned' : ''}">
${verdictIcon(passed)}
<div>
<p class="eyebrow">${htmlText(report.tool.name)} ${htmlText(report.tool.command ?? 'verify')} · ${htmlText(report.tool.version)}</p>
<h1>${headline}</h1>
<p>${subline}</p>
${failedLinks(report.checks)}
${warnedLinks(report.checks)}
<p class="target"><span class="method">${htmlText(report.target.method.toUpperCase())}</span><code>${htmlText(report.target.url)}</code>${report.target.embedded ? '<span class="tag">embedded reference server</span>' : ''}</p>
${report.target.lookup ? `<p class="target muted">Read back with <code>${htmlText(report.target.lookup)}</code></p>` : ''}
${report.target.instances ? `<p class="target muted">Spread across ${report.target.instances.map((instance) => `<code>${htmlText(instance)}</code>`).join(' ')}</p>` : ''}
<p class="muted">Started ${htmlText(formatTimestamp(report.startedAt))} · took ${formatDuration(report.durationMs)} · seed ${report.seed}</p>
</div>
</header>`;
}

/** Links to each failed check, so a long passing list does not hide what to fix. */
function failedLinks(checks: CheckResult[]): string {
  const failed = checks.filter((result) => result.status === 'failed');
  if (failed.length === 0) return '';
  const links = failed.map((result) => `<a href="#check-${htmlText(result.id)}">${htmlText(result.id)}</a>`);
  return `<p class="failed-links">Failed: ${links.join(' ')}</p>`;
}

function warnedLinks(checks: CheckResult[]): string {
  const warned = checks.filter((result) => result.status === 'warning');
  if (warned.length === 0) return '';
  const links = warned.map((result) => `<a href="#check-${htmlText(result.id)}">${htmlText(result.id)}</a>`);
  return `<p class="warned-links">Warnings: ${links.join(' ')}</p>`;
}

function verdictIcon(passed: boolean): string {
  const colour = passed ? '#1a7f37' : '#d1242f';
  const glyph = passed ? '<path d="M17 29l7 7 15-16" />' : '<path d="M20 20l16 16M36 20L20 36" />';
  return `<svg class="verdict-icon" viewBox="0 0 56 56" aria-hidden="true"><circle cx="28" cy="28" r="28" fill="${colour}"/><g fill="none" stroke="#fff" stroke-width="5" stroke-linecap="round" stroke-linejoin="round">${glyph}</g></svg>`;
}

function stats(report: Report): string {
  const { latency } = report;
  const over = latency.samples > 0 && latency.p95 > latency.budgetMs;
  const tile = (className: string, label: string, value: string, note: string, zero = false) =>
    `<div class="stat ${className}"><div class="stat-label">${label}</div><div class="stat-value${zero ? ' zero' : ''}">${value}</div><div class="stat-note">${note}</div></div>`;
  const { passed, warnings, failed, skipped } = report.summary;
  return `<section class="stats">
${tile('passed', 'Passed', String(passed), 'checks', passed === 0)}
${tile('warnings', 'Warnings', String(warnings), report.strict ? 'checks (strict: they fail)' : 'checks (advice)', warnings === 0)}
${tile('failed', 'Failed', String(failed), 'checks', failed === 0)}
${tile('skipped', 'Skipped', String(skipped), 'checks', skipped === 0)}
${tile(over ? 'over' : '', 'p95 latency', latency.samples > 0 ? formatDuration(latency.p95) : '–', `budget ${formatDuration(latency.budgetMs)}`)}
</section>`;
}

function notes(texts: string[]): string {
  if (texts.length === 0) return '';
  return `<section class="card notes">
<h2>Notes</h2>
<ul>${texts.map((text) => `<li>${htmlText(text)}</li>`).join('')}</ul>
</section>`;
}

function check(result: CheckResult): string {
  const depends =
    result.dependsOn.length > 0
      ? `<span class="depends">depends on ${result.dependsOn.map((id) => `<a href="#check-${htmlText(id)}">${htmlText(id)}</a>`).join(', ')}</span>`
      : '';
  // A failure or warning shows each finding with its own reproduction; a pass or a skip its message.
  const body =
    result.findings.length > 0
      ? result.findings.map((item, i) => finding(item, i === 0)).join('\n')
      : `<p class="check-message${result.kind === 'no-credentials' ? ' alarm' : ''}">${htmlText(result.message)}</p>`;
  return `<li class="check ${result.status}" id="check-${htmlText(result.id)}">
<div class="check-head"><span class="badge ${result.status}">${STATUS_LABELS[result.status]}</span><code class="check-id">${htmlText(result.id)}</code><span class="check-title">${htmlText(result.title)}${depends}</span><span class="duration">${result.status === 'skipped' ? '' : formatDuration(result.durationMs)}</span></div>
${body}
</li>`;
}

/** A finding and its reproduction; only the first finding's is open, so twenty of them stay readable. */
function finding(item: FindingResult, open: boolean): string {
  return `<p class="finding ${item.severity}"><span class="kind">${htmlText(item.kind)}</span>${htmlText(item.message)}</p>
${item.reproduction ? reproduction(item.reproduction, open) : ''}`;
}

function reproduction(exchange: Reproduction, open = true): string {
  const outcome = [observedOutcome(exchange), responseContentType(exchange)].filter(Boolean).join(' · ');
  // Open by default: a failure's evidence is the reason to open the page, and it then prints too.
  return `<details${open ? ' open' : ''}>
<summary>Reproduction <span class="muted">· ${htmlText(outcome)}</span></summary>
<div class="exchange">
<h3>Request</h3>
<pre>${htmlText(requestText(exchange, MAX_BODY_CHARS))}</pre>
<h3>Response</h3>
<pre>${htmlText(responseText(exchange, MAX_BODY_CHARS))}</pre>
<h3>${exchange.requests > 1 ? `Reproduce: the whole sequence (${exchange.requests} requests)` : 'Reproduce with curl'}</h3>
<pre class="curl">${htmlText(exchange.requests > 1 ? exchange.script : exchange.curl)}</pre>
</div>
</details>`;
}

function latencyFigures(latency: LatencySummary): string {
  if (latency.samples === 0) return '';
  const figure = (label: string, ms: number, over = false) =>
    `<div><span class="label">${label}</span><span class="value${over ? ' over' : ''}">${formatDuration(ms)}</span></div>`;
  return `<div class="latency-stats">
${figure('p50', latency.p50)}
${figure('p95', latency.p95, latency.p95 > latency.budgetMs)}
${figure('p99', latency.p99)}
${figure('max', latency.max)}
${figure('budget (p95)', latency.budgetMs)}
<div><span class="label">requests</span><span class="value">${latency.samples}</span></div>
</div>`;
}
