// The --out folder of verify, flow and load: checked before the run rather than after it, and any
// failure to write there turned into a usage error naming the folder.
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { UsageError } from '../core/errors.ts';

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
