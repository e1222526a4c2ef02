// The report a person reads in the terminal: what was tested, a line per check, and for each failure
// why it failed and how to reproduce it. Laid out for 100 columns; colour only when asked.
import picocolors from 'picocolors';
import { retryWarning } from '../../core/render/code-mode.ts';
import { oneLineExcerpt, replaceControlCharacters } from '../../core/report/untrusted-text.ts';
import { formatDuration, observedOutcome, responseContentType, summarySentence } from './format.ts';
import type { CheckResult, FindingResult, LatencySummary, Report, Reproduction, RunHeader } from './types.ts';

type Colors = ReturnType<typeof picocolors.createColors>;

const WIDTH = 100;
const MAX_ID_COLUMN = 24;
const DURATION_COLUMN = 8;
/** Where the text of a "why / got / curl" line starts, under a four-space indent and a label. */
const DETAIL_INDENT = ' '.repeat(10);

const MAX_FINDINGS_PER_KIND = 3;

const MARKS: Record<CheckResult['status'], string> = { passed: '✓', warning: '!', failed: '✗', skipped: '–' };

export function formatConsoleReport(report: Report, options: { color: boolean }): string {
  let text = '';
  const stream = createConsoleStream((chunk) => (text += chunk), {
    ...options,
    checkIds: report.checks.map((check) => check.id),
  });
  stream.start(report);
  for (const check of report.checks) stream.check(check);
  stream.finish(report);
  return text;
}

interface ConsoleStream {
  /** The run's identity and the configuration notes, before the first check. */
  start(head: RunHeader): void;
  check(check: CheckResult): void;
  /** The latency and summary lines, after any report notes the header did not show. */
  finish(report: Report): void;
}

/**
 * The console report written as the run goes (a slow endpoint can take a while): the header
 * first, each check as it finishes, then the totals. The text is the same as formatConsoleReport's.
 */
export function createConsoleStream(
  write: (text: string) => void,
  options: { color: boolean; checkIds: readonly string[] },
): ConsoleStream {
  const c = picocolors.createColors(options.color);
  const idColumn = Math.min(MAX_ID_COLUMN, Math.max(0, ...options.checkIds.map((id) => id.length)));
  // A failure block ends with a blank line; the next section may start with one too.
  let lastBlank = true;
  let shownNotes: string[] = [];
  const emit = (lines: string[]): void => {
    for (const line of lines) {
      if (line === '' && lastBlank) continue;
      write(`${line}\n`);
      lastBlank = line === '';
    }
  };
  return {
    start(head) {
      shownNotes = [...head.notes];
      emit([...header(head, c), ...notes(head.notes, c)]);
    },
    check(check) {
      emit(checkLines(check, idColumn, c));
    },
    finish(report) {
      const later = report.notes.filter((note) => !shownNotes.includes(note));
      emit([
        '',
        ...notes(later, c),
        '',
        latencyLine(report.latency, c),
        ...instanceLines(report, c),
        summaryLine(report, c),
      ]);
    },
  };
}

function header(report: RunHeader, c: Colors): string[] {
  const { target } = report;
  const where = target.embedded ? c.dim('  (embedded reference server)') : '';
  return [
    `${c.bold(`${report.tool.name} ${report.tool.command ?? 'verify'}`)} ${c.dim(report.tool.version)}`,
    `Target   ${target.method.toUpperCase()} ${replaceControlCharacters(target.url)}${where}`,
    ...(target.lookup
      ? [`Lookup   ${replaceControlCharacters(target.lookup)}  ${c.dim('(reads back what was stored)')}`]
      : []),
    ...(target.instances
      ? [
          `Fleet    ${target.instances.map(replaceControlCharacters).join(' · ')}  ${c.dim('(concurrency checks spread across these instances)')}`,
        ]
      : []),
    ...(target.codeMode === 'merchant'
      ? [`Codes    made by the merchant  ${c.dim('(the template has no {{code}})')}`]
      : []),
    `Seed     ${report.seed}  ${c.dim(`(--seed ${report.seed} repeats this run's codes)`)}`,
    '',
  ];
}

function notes(texts: string[], c: Colors): string[] {
  if (texts.length === 0) return [];
  // The one warning that is the run's, not a check's (merchant-made codes and retries), stands out.
  const bullets = texts.flatMap((text) => {
    const paint = text === retryWarning ? (line: string) => c.yellow(line) : (line: string) => line;
    const mark = text === retryWarning ? '  ! ' : '  • ';
    return wrap(replaceControlCharacters(text), WIDTH - 4).map((line, i) => paint(`${i === 0 ? mark : '    '}${line}`));
  });
  return [c.bold('Notes'), ...bullets, ''];
}

function checkLines(check: CheckResult, idColumn: number, c: Colors): string[] {
  const id = check.id.padEnd(idColumn);
  // An id longer than the column pushes the title right; the title always keeps some room.
  const titleRoom = Math.max(20, WIDTH - 2 - id.length - 2 - DURATION_COLUMN - 2);
  const title = oneLineExcerpt(check.title, titleRoom);
  // A skipped check did not run: a duration would only be noise.
  const duration =
    check.status === 'skipped'
      ? ''
      : `${' '.repeat(titleRoom - title.length)}  ${c.dim(formatDuration(check.durationMs).padStart(DURATION_COLUMN))}`;
  const line = `${mark(check.status, c)} ${c.bold(id)}  ${title}${duration}`;

  if (check.status === 'passed') return [line];
  if (check.status === 'skipped') {
    // The one skip a person must not overlook: nothing guards the endpoint.
    const paint = check.kind === 'no-credentials' ? c.yellow : c.dim;
    return [line, ...detail('why', check.message, paint, c)];
  }
  // A long list of the same kind (a failure per bad-input case) shows its first few here; every one
  // is in the JSON and HTML reports.
  const shown: FindingResult[] = [];
  const more = new Map<string, number>();
  for (const finding of check.findings) {
    const same = shown.filter((f) => f.kind === finding.kind).length;
    if (same < MAX_FINDINGS_PER_KIND) shown.push(finding);
    else more.set(finding.kind, (more.get(finding.kind) ?? 0) + 1);
  }
  const rest = [...more].map(
    ([kind, count]) => `    ${c.dim(`… and ${count} more [${kind}] in the JSON and HTML reports`)}`,
  );
  return [line, ...shown.flatMap((finding) => findingLines(finding, c)), ...rest, ''];
}

/** `why`, `got` and how to reproduce one finding; its kind in brackets for people grepping CI logs. */
function findingLines(finding: FindingResult, c: Colors): string[] {
  const paint = finding.severity === 'failure' ? c.red : c.yellow;
  const label = finding.severity === 'failure' ? 'why' : 'warn';
  return [
    ...detail(label, `${finding.message} [${finding.kind}]`, paint, c),
    ...(finding.reproduction ? reproductionLines(finding.reproduction, c) : []),
  ];
}

function mark(status: CheckResult['status'], c: Colors): string {
  const paint = { passed: c.green, warning: c.yellow, failed: c.red, skipped: c.dim }[status];
  return paint(MARKS[status]);
}

/** `    why   text that wraps` with continuation lines under the text, not under the label. */
function detail(label: string, text: string, paint: (s: string) => string, c: Colors): string[] {
  const wrapped = wrap(replaceControlCharacters(text), WIDTH - DETAIL_INDENT.length);
  return wrapped.map((line, i) =>
    i === 0 ? `    ${c.dim(label.padEnd(6))}${paint(line)}` : `${DETAIL_INDENT}${paint(line)}`,
  );
}

/** A sequence's commands, one per line as the script sends them (comments and echo left out). */
function scriptCommands(script: string): string[] {
  return script.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#') && line !== 'echo');
}

function reproductionLines(reproduction: Reproduction, c: Colors): string[] {
  const outcome = [observedOutcome(reproduction), responseContentType(reproduction)].filter(Boolean).join(' · ');
  const body = reproduction.response?.body;
  const room = WIDTH - DETAIL_INDENT.length - outcome.length - 3;
  const excerpt = body === undefined ? '' : body.length === 0 ? c.dim('(empty body)') : oneLineExcerpt(body, room);
  const got = `    ${c.dim('got'.padEnd(6))}${c.yellow(outcome)}${excerpt ? ` · ${excerpt}` : ''}`;
  // The curl command is printed whole and unwrapped so that it can be copied and run as it is; a
  // sequence (the first delivery, then the one that shows the problem) is printed step by step.
  const commands = reproduction.requests > 1 ? scriptCommands(reproduction.script) : [reproduction.curl];
  const label = reproduction.requests > 1 ? 'steps' : 'curl';
  const curl = commands
    .flatMap((command) => replaceControlCharacters(command).split('\n'))
    .map((line, i) =>
      i === 0 ? `    ${c.dim(label.padEnd(6))}${c.cyan(line)}` : `${DETAIL_INDENT}${c.cyan(line.trimStart())}`,
    );
  return [got, ...curl];
}

function latencyLine(latency: LatencySummary, c: Colors): string {
  if (latency.samples === 0) return `Latency  ${c.dim('no requests were sent')}`;
  const withinBudget = latency.p95 <= latency.budgetMs;
  const p95 = `p95 ${formatDuration(latency.p95)}`;
  const figures = [
    `p50 ${formatDuration(latency.p50)}`,
    withinBudget ? c.green(p95) : c.red(c.bold(p95)),
    `p99 ${formatDuration(latency.p99)}`,
    `max ${formatDuration(latency.max)}`,
  ].join(' · ');
  const verdict = withinBudget ? 'within' : 'over';
  return `Latency  ${figures}  ${c.dim(`p95 ${verdict} the ${formatDuration(latency.budgetMs)} budget, ${latency.samples} requests`)}`;
}

/** How many requests each instance answered, when the run spread over several. */
function instanceLines(report: Report, c: Colors): string[] {
  const instances = report.target.instances;
  if (!instances) return [];
  const counts = instances.map((instance) => {
    const n = report.latency.timeline.filter((sample) => sample.instance === instance).length;
    return `${replaceControlCharacters(instance)} ${n}`;
  });
  return [`Spread   ${counts.join(' · ')}  ${c.dim('deliveries per instance')}`];
}

function summaryLine(report: Report, c: Colors): string {
  const { passed, warnings, failed, skipped } = report.summary;
  const sentence = summarySentence(report);
  const warned = `${warnings} warning${warnings === 1 ? '' : 's'}`;
  // Colour each count inside the shared sentence so console and HTML say exactly the same words.
  return sentence
    .replace(`${passed} passed`, c.green(`${passed} passed`))
    .replace(warned, warnings > 0 ? c.yellow(c.bold(warned)) : warned)
    .replace(`${failed} failed`, failed > 0 ? c.red(c.bold(`${failed} failed`)) : `${failed} failed`)
    .replace(`${skipped} skipped`, skipped > 0 ? c.yellow(`${skipped} skipped`) : c.dim(`${skipped} skipped`));
}

/** Word-wraps at `width`; a word longer than a line (a URL) stays whole on its own line. */
function wrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((paragraph) => {
    const lines: string[] = [];
    let current = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (current && current.length + 1 + word.length > width) {
        lines.push(current);
        current = word;
      } else {
        current = current ? `${current} ${word}` : word;
      }
    }
    return [...lines, current];
  });
}
