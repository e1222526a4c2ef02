// The checkout's CLI after `npm run build`: the build replaces dist/, and every bin package.json
// lists must come out executable. npx links a checkout's bins once, on first use, and sets their
// execute bit then; a rebuild afterwards (every bench builds first) used to leave `npx gb-coupon`
// failing with "Permission denied" until the next npm ci. So: build, npx once, build again, then
// run the bins. Done in a copy of the checkout (its files, with this repository's node_modules
// linked) so that it never pulls dist/ from under the consumer test's `npm pack`, and with npm's
// cache inside the copy so that npx leaves nothing behind.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCheckout, checkoutRoot as root } from '../architecture/copy-checkout.ts';

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: string | Record<string, string>;
};
/** package.json's bins by command name; a lone string is named after the package. */
const bins = Object.entries(typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : manifest.bin);

let checkout: string;
/** Each bin's permission bits as the build left them, read before anything else runs it. */
let modes: Record<string, number>;

function build(): void {
  const result = spawnSync('npm', ['run', 'build'], { cwd: checkout, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`npm run build exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
}

/** npx in the copy, as a person runs it there; the copy is built, so npx skips its prepare script. */
function npx(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('npx', args, {
    cwd: checkout,
    encoding: 'utf8',
    env: {
      ...process.env,
      npm_config_cache: path.join(checkout, '.npm-cache'),
      npm_config_ignore_scripts: 'true',
      npm_config_offline: 'true',
    },
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

beforeAll(() => {
  checkout = mkdtempSync(path.join(tmpdir(), 'gb-bin-'));
  copyCheckout(checkout);
  symlinkSync(path.join(root, 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
  build();
  npx('gb-coupon', '--version');
  build();
  modes = Object.fromEntries(bins.map(([name, file]) => [name, statSync(path.join(checkout, file)).mode & 0o777]));
}, 240_000);

afterAll(() => {
  if (checkout) rmSync(checkout, { recursive: true, force: true });
});

describe('npm run build keeps the package runnable', () => {
  it('leaves every bin in package.json executable (0755)', () => {
    expect(bins.length).toBeGreaterThan(0);
    expect(modes).toEqual(Object.fromEntries(bins.map(([name]) => [name, 0o755])));
  });

  it('runs each bin as a program: --version prints the version in package.json', () => {
    for (const [, file] of bins) {
      const result = spawnSync(path.join(checkout, file), ['--version'], { encoding: 'utf8' });
      expect(result.error).toBeUndefined();
      expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({ status: 0, stdout: manifest.version });
    }
  });

  it('npx gb-coupon --version in the rebuilt checkout exits 0 with that version', () => {
    expect(npx('gb-coupon', '--version')).toEqual({ status: 0, stdout: manifest.version, stderr: '' });
  }, 120_000);
});
