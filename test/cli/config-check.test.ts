// gb-coupon config check as a user runs it: a real child process, its exit code and what it prints
// on stdout and stderr. The normalisation itself is tested in test/core/configuration.test.ts;
// these pin what the command adds: the notes, the canonical form, redaction, --json, exit codes.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractDocument, schemaValidator } from '../../openapi/contract.ts';
import { sourceCli } from '../support/processes.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `gb-coupon config check ...args`; execFile kills the child by its PID if it overruns. */
function check(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...sourceCli, 'config', 'check', ...args],
      { cwd: root, env: { ...process.env, NO_COLOR: '1' }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const tutorialShape = {
  url: 'https://api.yourapp.com/create-coupon',
  method: 'POST',
  contentType: 'application/json',
  headers: [
    { key: 'Authorization', value: 'Bearer 123456' },
    { key: 'X-Store', value: 'eg' },
  ],
  payload: { customerId: '{{playerUniqueId}}', amount: '{{value}}', code: '{{code}}' },
  couponMapping: { fixed: 'fixed_discount', percentage: 'percentage_discount' },
  enableFixedRate: true,
  enablePercentage: true,
  enableFreeProduct: false,
  enableFreeShipping: false,
  platforms: ['web', 'mobile'],
};

const canonical = {
  url: 'https://api.yourapp.com/create-coupon',
  method: 'POST',
  headers: [
    { key: 'Authorization', value: 'Bearer 123456' },
    { key: 'X-Store', value: 'eg' },
  ],
  payload: '{"customerId":"{{playerUniqueId}}","amount":"{{value}}","code":"{{code}}"}',
  couponMapping: { fixed: 'fixed_discount', percentage: 'percentage_discount' },
  enableFixedRate: true,
  enablePercentage: true,
  enableFreeProduct: false,
  enableFreeShipping: false,
  platforms: [
    { displayName: 'web', value: 'web' },
    { displayName: 'mobile', value: 'mobile' },
  ],
};

let folder: string;
const file = (name: string) => path.join(folder, name);

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'gb-coupon-config-'));
  const examples = (contractDocument('gameball').components as { examples: Record<string, { value: unknown }> })
    .examples;
  await Promise.all([
    writeFile(file('tutorial.json'), JSON.stringify(tutorialShape, null, 2)),
    writeFile(file('default.json'), JSON.stringify(examples.DefaultConfiguration!.value)),
    writeFile(file('booleans.json'), JSON.stringify({ ...canonical, couponMapping: { percentage: true } })),
    writeFile(file('delete.json'), JSON.stringify({ ...canonical, method: 'DELETE' })),
    writeFile(file('broken.json'), '{"url": "https://shop.example.com",\n  "method": POST}'),
    writeFile(
      file('misspelt.json'),
      JSON.stringify({ ...canonical, payload: '{"customer":"{{customerId}}","amount":{{value}}}' }),
    ),
    writeFile(
      file('merchant-codes.json'),
      JSON.stringify({
        ...canonical,
        payload:
          '{"customerId":"{{playerUniqueId}}","value":"{{amount}}","couponType":"{{discount_type}}","days":{{expiresAfter}}}',
      }),
    ),
    writeFile(
      file('unsafe-mapping.json'),
      JSON.stringify({
        ...canonical,
        payload: '{"code":"{{code}}","type":"{{discount_type}}"}',
        couponMapping: { fixed: 'fixed "rate"', percentage: 'p', freeProduct: 'fp', freeShipping: 'fs' },
      }),
    ),
  ]);
});

afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** A refusal a person reads: exit 2, one paragraph on stderr naming the program, no stack trace, nothing on stdout. */
function expectRefusal(result: CliResult, mentions: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^gb-coupon: /);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).toMatch(mentions);
}

describe('gb-coupon config check', () => {
  it('normalises the tutorial shape: says what changed and why, prints the canonical form with credentials redacted', async () => {
    const result = await check([file('tutorial.json')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('is a valid Gameball coupon configuration');
    expect(result.stdout).toMatch(/contentType .*dropped/);
    expect(result.stdout).toMatch(/payload was a JSON object .*serialised/);
    expect(result.stdout).toMatch(/platforms were plain strings/);
    const printed = JSON.parse(
      result.stdout.slice(result.stdout.indexOf('\n{') + 1, result.stdout.lastIndexOf('}') + 1),
    );
    expect(printed).toEqual({
      ...canonical,
      headers: [
        { key: 'Authorization', value: 'Bearer <redacted>' },
        // By value, not by name: a header that does not look like a credential may be one.
        { key: 'X-Store', value: '<redacted>' },
      ],
    });
    // In Gameball's order, not the order normalisation happened to build it in.
    expect(Object.keys(printed)).toEqual(Object.keys(canonical));
    expect(result.stdout).not.toContain('123456');
    expect(result.stdout).toContain('--show-secrets');
  });

  it('--json prints the notes and the canonical configuration for machines; --show-secrets keeps the credential', async () => {
    const result = await check([file('tutorial.json'), '--json', '--show-secrets']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({ valid: true, file: file('tutorial.json'), redacted: false });
    expect(parsed.notes).toHaveLength(3);
    expect(parsed.configuration).toEqual(canonical);
    expect(schemaValidator('gameball', 'CouponConfiguration')(parsed.configuration)).toBe(true);
  });

  it('says nothing changed for a configuration already canonical', async () => {
    const result = await check([file('default.json'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.notes).toEqual([]);
    expect(parsed.redacted).toBe(true);
    const human = await check([file('default.json')]);
    expect(human.stdout).toContain('Normalisation changed nothing');
  });

  it('reads the template as Gameball fills it: a misspelt placeholder is a warning with the fix, exit 0', async () => {
    const result = await check([file('misspelt.json')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is a valid Gameball coupon configuration');
    expect(result.stdout).toMatch(
      /warning \[template-unknown-placeholder\]: \{\{customerId\}\} at line 1, column 14 .*Did you mean \{\{playerUniqueId\}\}\?/,
    );
    expect(result.stdout).not.toMatch(/arrives empty/);
    const json = JSON.parse((await check([file('misspelt.json'), '--json'])).stdout);
    expect(json.template.map((f: { kind: string }) => f.kind)).toEqual(['template-unknown-placeholder']);
  });

  it('a template that breaks the JSON as Gameball fills it exits 1', async () => {
    const result = await check([file('unsafe-mapping.json')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failure \[template-unsafe-value\]: couponMapping\.fixed/);
  });

  it("says who makes the code and keeps Gameball's placeholders apart from the kit's own", async () => {
    const merchant = await check([file('merchant-codes.json')]);
    expect(merchant.code).toBe(0);
    expect(merchant.stdout).toContain('Code: the merchant generates the code (the template has no {{code}})');
    expect(merchant.stdout).toMatch(/Warning: .*cannot recognise it unless the template carries a unique reference/);
    expect(merchant.stdout).toContain(
      'Placeholders documented by Gameball: {{playerUniqueId}}, {{amount}}, {{discount_type}}.',
    );
    expect(merchant.stdout).toContain("The kit's own extension (not documented by Gameball): {{expiresAfter}}.");
    expect(merchant.stdout).toMatch(/warning \[template-kit-placeholder\]/);
    const json = JSON.parse((await check([file('merchant-codes.json'), '--json'])).stdout);
    expect(json).toMatchObject({
      codeMode: 'merchant',
      placeholders: { documented: ['playerUniqueId', 'amount', 'discount_type'], kit: ['expiresAfter'], unknown: [] },
    });
    const shipped = JSON.parse((await check([file('default.json'), '--json'])).stdout);
    expect(shipped).toMatchObject({
      codeMode: 'gameball',
      template: [],
      placeholders: { documented: ['playerUniqueId', 'code', 'value', 'discount_type'], kit: [] },
    });
  });

  it('refuses couponMapping with booleans with exit 2 and one paragraph that shows the canonical mapping', async () => {
    expectRefusal(await check([file('booleans.json')]), /couponMapping with booleans.*"fixed": "fixed_discount"/);
  });

  it('with --json, a refusal is also a JSON verdict on stdout naming the field', async () => {
    const result = await check([file('booleans.json'), '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      valid: false,
      problems: [{ field: 'couponMapping' }],
    });
    expect(result.stderr).toMatch(/^gb-coupon: .*couponMapping/);
  });

  it('refuses a method Gameball does not send, a file that is not JSON and a missing file, each with exit 2', async () => {
    const [method, broken, missing] = await Promise.all([
      check([file('delete.json')]),
      check([file('broken.json')]),
      check([file('missing.json')]),
    ]);
    expectRefusal(method, /method/);
    expectRefusal(broken, /is not valid JSON/);
    expectRefusal(missing, /does not exist/);
  });
});
