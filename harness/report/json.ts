// report.json: the whole Report, with `summary` and `checks` first so that a person opening the file,
// or a CI script reading `.summary.failed`, finds the answer at the top.
import type { Report } from './types.ts';

export function formatJsonReport(report: Report): string {
  const { summary, checks, ...rest } = report;
  return `${JSON.stringify({ summary, checks, ...rest }, null, 2)}\n`;
}
