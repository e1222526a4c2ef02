// The two code modes as a user meets them on the command line: `verify`, `trigger --count` and
// `load` against the built-in reference server called without {{code}} (`--template merchant-code`)
// and against small merchants written for the test, as real child processes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfiguration } from '../../core/config/default-configuration.ts';
import { type CodeMerchant, startCodeMerchant } from '../support/code-merchants.ts';
import { exitWithin, type RunningProcess, sourceCli, startProcess } from '../support/processes.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const running = new Set<RunningProcess>();

/** `gb-coupon ...args` from the repository root; the timeout only stops a hung process (by its PID). */
async function gbCoupon(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startProcess(process.execPath, [...sourceCli, ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
  });
  running.add(child);
  try {
    return await exitWithin(child, 60_000, `gb-coupon ${args.join(' ')}`);
  } finally {
    running.delete(child);
  }
}

let folder: string;
const merchants: Record<string, CodeMerchant> = {};
const configFor = (kind: string) => path.join(folder, `${kind}.json`);

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'gb-coupon-modes-'));
  for (const kind of ['own-codes', 'same-code', 'empty-code'] as const) {
    const merchant = await startCodeMerchant(kind);
    merchants[kind] = merchant;
    const config = defaultConfiguration(merchant.url, merchant.token, 'merchant-code');
    await writeFile(configFor(kind), JSON.stringify(config));
  }
});

afterAll(async () => {
  await Promise.all([...running].map((child) => child.stop('SIGKILL')));
  await Promise.all(Object.values(merchants).map((m) => m.close()));
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('gb-coupon verify --template merchant-code', () => {
  it('passes the built-in reference server called without {{code}}, and warns about retries once, at the top', async () => {
    const result = await gbCoupon(['verify', '--template', 'merchant-code', '--latency-budget', '10000']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Codes {4}made by the merchant/m);
    expect(result.stdout.split('cannot recognise it unless the template carries a unique reference')).toHaveLength(2);
    expect(result.stdout.indexOf('unique reference')).toBeLessThan(result.stdout.indexOf('accepted'));
    expect(result.stdout).toMatch(/\d+ passed, 2 warnings, 0 failed, 1 skipped/);
  });

  it('refuses --template beside --config: the configuration is the template', async () => {
    const result = await gbCoupon(['verify', '--config', configFor('own-codes'), '--template', 'extended']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^gb-coupon: --template chooses the template for the built-in reference server/);
  });
});

describe('gb-coupon trigger --count', () => {
  it('accepts distinct deliveries that each got a code of their own', async () => {
    const result = await gbCoupon(['trigger', 'redeem', '--config', configFor('own-codes'), '--count', '3']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('(3 of 3)');
    expect(result.stdout).toContain('3 of 3 accepted; 3 distinct code(s).');
    expect(result.stdout).toMatch(/note: The template has no \{\{code\}\}/);
  });

  it('fails deliveries that got the same code: duplicate-code', async () => {
    const result = await gbCoupon(['trigger', 'redeem', '--config', configFor('same-code'), '--count', '3']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'Gameball would treat this as a failure. The endpoint answered 200 but its code SAME-CODE was already given to another delivery (delivery 1 of this run)',
    );
    expect(result.stdout).toContain('1 of 3 accepted; 1 distinct code(s).');
  });

  it('fails an empty code', async () => {
    const result = await gbCoupon(['trigger', 'campaign', '--config', configFor('empty-code')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('/couponCode does not hold a code');
  });

  it('accepts the built-in reference server called without {{code}}: its own codes, all different', async () => {
    const result = await gbCoupon(['trigger', 'free-product', '--template', 'merchant-code', '--count', '2']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toContain('"code":');
    expect(result.stdout).toContain('2 of 2 accepted; 2 distinct code(s).');
  });
});

describe('gb-coupon load with a template without {{code}}', () => {
  it('passes the reference server, looks up the codes it made, and judges duplicate_codes', async () => {
    const result = await gbCoupon([
      'load',
      '--template',
      'merchant-code',
      '--rate',
      '40',
      '--duration',
      '1s',
      '--reconcile',
      '--thresholds',
      path.join(root, 'loadtest/thresholds.json'),
    ]);
    expect(result.stdout).toMatch(/✓ duplicate_codes +count<1 +count=0/);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/reconcile\.+: (\d+) looked up: \1 stored, 0 acknowledged but not stored/);
  });

  it('fails a merchant that gives every delivery the same code (exit 99)', async () => {
    const result = await gbCoupon(['load', '--config', configFor('same-code'), '--rate', '20', '--duration', '1s']);
    expect(result.code).toBe(99);
    // Every delivery after the first got the one code.
    const duplicates = Number(/✗ duplicate_codes +count<1 +count=(\d+)/.exec(result.stdout)?.[1]);
    expect(duplicates).toBeGreaterThan(0);
    expect(result.stdout).toContain(`a code already given ×${duplicates}`);
  });
});
