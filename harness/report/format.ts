// How every reporter says a duration, a run's outcome and what an exchange produced, so the console,
// the JUnit file and the HTML page word them the same way.
import { bodyNote } from '../../core/http/body-note.ts';
import type { Report, Reproduction } from './types.ts';

/** `0.4 ms`, `5 ms`, `7.5 ms`, `320 ms`, `1 s`, `1.4 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  // One decimal below 10 ms, where it says something; `5 ms`, not `5.0 ms`, for a whole number.
  if (ms < 10) return `${Number(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `2025-11-26 12:00:00 UTC`; anything that is not a date is shown as it is. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * True when no check failed (and, under --strict, none warned): the run passes (exit code 0).
 * Skipped checks do not fail a run.
 */
export function runPassed(report: Report): boolean {
  return report.outcome === 'passed';
}

/** `12 passed, 2 warnings, 1 failed, 0 skipped in 1.4 s` (`; strict: warnings fail` under --strict). */
export function summarySentence(report: Report): string {
  const { passed, warnings, failed, skipped } = report.summary;
  const strict = report.strict ? ' (strict: warnings fail the run)' : '';
  return `${passed} passed, ${warnings} warning${warnings === 1 ? '' : 's'}, ${failed} failed, ${skipped} skipped in ${formatDuration(report.durationMs)}${strict}`;
}

/** What came back, in a few words: `HTTP 500`, `HTTP 500 (body truncated: 100 MiB in all)` or `no response (timeout after 5000 ms)`. */
export function observedOutcome(reproduction: Reproduction): string {
  if (reproduction.response) {
    const note = bodyNote(reproduction.response);
    return `HTTP ${reproduction.response.status}${note ? ` (${note})` : ''}`;
  }
  return `no response (${reproduction.error ?? 'transport failure'})`;
}

/** The response's content type, looked up case-insensitively, if it sent one. */
export function responseContentType(reproduction: Reproduction): string | undefined {
  const headers = reproduction.response?.headers ?? {};
  const key = Object.keys(headers).find((name) => name.toLowerCase() === 'content-type');
  return key === undefined ? undefined : headers[key];
}
