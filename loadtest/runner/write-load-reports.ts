// `--report json,junit,html --out DIR`: load's report files, written by core/report's one writer.
import { type ReportFiles, type ReportFilesOptions, writeReportFiles } from '../../core/report/write-report-files.ts';
import { formatLoadHtml } from './html.ts';
import { formatLoadJunit } from './junit.ts';
import type { LoadReport } from './load-report.ts';

const LOAD_FILES: ReportFiles<LoadReport> = {
  json: { fileName: 'load.json', render: (report) => `${JSON.stringify(report, null, 2)}\n` },
  junit: { fileName: 'junit.xml', render: formatLoadJunit },
  html: { fileName: 'load.html', render: formatLoadHtml },
};

/** Writes load.json, junit.xml and/or load.html into `outDir` (created if missing); their paths, in the order asked. */
export function writeLoadReports(report: LoadReport, options: ReportFilesOptions): Promise<string[]> {
  return writeReportFiles(report, LOAD_FILES, options);
}
