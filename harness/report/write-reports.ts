// `--report json,junit,html --out DIR`: which report files to write, and writing them.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import type { ReportFormat } from '../../core/report/report-format.ts';
import { formatHtmlReport } from './html.ts';
import { formatJsonReport } from './json.ts';
import { formatJunitReport } from './junit.ts';
import type { Report } from './types.ts';

export type { ReportFormat };

/** Each format's file name in the output directory and how it is rendered. */
const REPORT_FILES: Record<ReportFormat, { fileName: string; render: (report: Report) => string }> = {
  json: { fileName: 'report.json', render: formatJsonReport },
  junit: { fileName: 'junit.xml', render: formatJunitReport },
  html: { fileName: 'report.html', render: formatHtmlReport },
};

export const REPORT_FORMATS = Object.keys(REPORT_FILES) as ReportFormat[];

/** Writes one file per format into `outDir` (created if missing) and returns their paths, in the order asked. */
export async function writeReports(
  report: Report,
  options: { formats: readonly ReportFormat[]; outDir: string },
): Promise<string[]> {
  const formats = [...new Set(options.formats)];
  if (formats.length === 0) return [];
  await mkdir(options.outDir, { recursive: true });
  return Promise.all(
    formats.map(async (format) => {
      const { fileName, render } = REPORT_FILES[format];
      const path = join(options.outDir, fileName);
      // Written beside and renamed into place: a run stopped half-way never leaves half a report
      // for CI to upload.
      const partial = `${path}.partial-${process.pid}`;
      await writeFile(partial, render(report), 'utf8');
      await rename(partial, path);
      return path;
    }),
  );
}

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
  return Object.hasOwn(REPORT_FILES, name);
}
