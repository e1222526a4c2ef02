// A scratch copy of this checkout, for tests that must change or rebuild the tree without touching
// the real one: the files as git sees them (tracked and new, not ignored), nothing else.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const checkoutRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Copies the checkout's files into `scratch` (an existing, empty directory). */
export function copyCheckout(scratch: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: checkoutRoot,
    encoding: 'utf8',
  });
  // A file deleted from the work tree but not yet from git's index is listed too.
  for (const file of listed.split('\0').filter((name) => name !== '' && existsSync(path.join(checkoutRoot, name)))) {
    cpSync(path.join(checkoutRoot, file), path.join(scratch, file));
  }
}
