// The --out folder of verify, flow and load: checked before the run rather than after it, and any
// failure to write there turned into a usage error naming the folder.
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { UsageError } from '../core/errors.ts';
import type { ReportFormat } from '../core/report/report-formats.ts';
import type { Report } from '../harness/report/types.ts';
import { writeReports } from '../harness/report/write-reports.ts';
import { redactedDeep } from './redacted-output.ts';

/** The report folder exists and can be written. */
export async function prepareOutDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw unwritable(dir, error as NodeJS.ErrnoException);
  }
}

export function unwritable(dir: string, error: NodeJS.ErrnoException): UsageError {
  return new UsageError(`Cannot write the reports to ${dir} (${error.message}); choose another folder with --out.`);
}

/** Writes a verify or flow run's reports and says where (nothing once the run was interrupted). */
export async function writeRunReports(report: Report, formats: readonly ReportFormat[], dir: string): Promise<void> {
  if (formats.length === 0) return;
  const written = await writeReports(redactedDeep(report), { formats: [...formats], outDir: dir }).catch(
    (error: NodeJS.ErrnoException) => {
      // The verdict is printed already; the run still exits 2, as its reports were not written.
      throw error.code ? unwritable(dir, error) : error;
    },
  );
  process.stdout.write(`Reports: ${written.join(', ')}\n`);
}
