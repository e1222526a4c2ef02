// Writes every report of the passing and the failing fixture to a folder, to look at them:
//   npx tsx test/harness/report/preview.ts /tmp/report-preview
// then open report.html in a browser, or print the console report with colour.
import { formatConsoleReport } from '../../../harness/report/console.ts';
import { writeReports } from '../../../harness/report/write-reports.ts';
import { failingReport, passingReport } from './fixture.ts';

const outDir = process.argv[2] ?? 'report-preview';
for (const [name, report] of [
  ['passing', passingReport()],
  ['failing', failingReport()],
] as const) {
  const paths = await writeReports(report, { formats: ['json', 'junit', 'html'], outDir: `${outDir}/${name}` });
  process.stdout.write(
    `${formatConsoleReport(report, { color: Boolean(process.stdout.isTTY) })}\n${paths.join('\n')}\n\n`,
  );
}
