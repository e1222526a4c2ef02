// `--report json,junit,html --out DIR`: verify's report files, written by core/report's one writer.
import { type ReportFiles, type ReportFilesOptions, writeReportFiles } from '../../core/report/write-report-files.ts';
import { formatHtmlReport } from './html.ts';
import { formatJsonReport } from './json.ts';
import { formatJunitReport } from './junit.ts';
import type { Report } from './types.ts';

const REPORT_FILES: ReportFiles<Report> = {
  json: { fileName: 'report.json', render: formatJsonReport },
  junit: { fileName: 'junit.xml', render: formatJunitReport },
  html: { fileName: 'report.html', render: formatHtmlReport },
};

/** Writes report.json, junit.xml and/or report.html into `outDir` (created if missing); their paths, in the order asked. */
export function writeReports(report: Report, options: ReportFilesOptions): Promise<string[]> {
  return writeReportFiles(report, REPORT_FILES, options);
}
