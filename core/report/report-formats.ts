// `--report json,junit,html`: the report formats verify, flow and load write, and how the option
// is read. Each part names its own files; the formats are the same everywhere.
import { UsageError } from '../errors.ts';

export const REPORT_FORMATS = ['json', 'junit', 'html'] as const;

export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Reads `--report`: comma-separated, case-insensitive, spaces and repeats ignored, e.g. `JSON, html`. */
export function parseReportFormats(text: string): ReportFormat[] {
  const names = text
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const unknown = names.find((name) => !isReportFormat(name));
  if (unknown !== undefined || names.length === 0) {
    const given = unknown === undefined ? 'No report format given' : `Unknown report format "${unknown}"`;
    throw new UsageError(
      `${given}: --report takes ${REPORT_FORMATS.join(', ')} or several of them comma-separated, e.g. --report json,junit,html.`,
    );
  }
  return [...new Set(names as ReportFormat[])];
}

function isReportFormat(name: string): name is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(name);
}
