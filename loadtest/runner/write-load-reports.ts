// `--report json,junit,html --out DIR`: load.json, junit.xml and load.html, each written beside
// and renamed into place so that CI never uploads half a report.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportFormat } from '../../core/report/report-format.ts';
import { formatLoadHtml } from './html.ts';
import { formatLoadJunit } from './junit.ts';
import type { LoadReport } from './load-report.ts';

const FILES: Record<ReportFormat, { fileName: string; render: (report: LoadReport) => string }> = {
  json: { fileName: 'load.json', render: (report) => `${JSON.stringify(report, null, 2)}\n` },
  junit: { fileName: 'junit.xml', render: formatLoadJunit },
  html: { fileName: 'load.html', render: formatLoadHtml },
};

export async function writeLoadReports(
  report: LoadReport,
  options: { formats: readonly ReportFormat[]; outDir: string },
): Promise<string[]> {
  await mkdir(options.outDir, { recursive: true });
  return Promise.all(
    [...new Set(options.formats)].map(async (format) => {
      const { fileName, render } = FILES[format];
      const path = join(options.outDir, fileName);
      const partial = `${path}.partial-${process.pid}`;
      await writeFile(partial, render(report), 'utf8');
      await rename(partial, path);
      return path;
    }),
  );
}
