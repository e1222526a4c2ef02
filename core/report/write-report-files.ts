// `--report json,junit,html --out DIR` for every command: each report kind names its files, and
// they are written here, each beside its final name and renamed into place, so that a run stopped
// half-way never leaves half a report for CI to upload.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportFormat } from './report-formats.ts';

/** One kind of report's files: each format's file name in the output folder and how it is rendered. */
export type ReportFiles<R> = Readonly<Record<ReportFormat, { fileName: string; render: (report: R) => string }>>;

export interface ReportFilesOptions {
  formats: readonly ReportFormat[];
  outDir: string;
}

/** Writes one file per format into `outDir` (created if missing) and returns their paths, in the order asked. */
export async function writeReportFiles<R>(
  report: R,
  files: ReportFiles<R>,
  options: ReportFilesOptions,
): Promise<string[]> {
  const formats = [...new Set(options.formats)];
  if (formats.length === 0) return [];
  await mkdir(options.outDir, { recursive: true });
  return Promise.all(
    formats.map(async (format) => {
      const { fileName, render } = files[format];
      const path = join(options.outDir, fileName);
      const partial = `${path}.partial-${process.pid}`;
      await writeFile(partial, render(report), 'utf8');
      await rename(partial, path);
      return path;
    }),
  );
}
