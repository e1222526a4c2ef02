// `gb-coupon flow` and `gb-coupon config push` as processes, against the stand-in and the reference
// server: the flow passes on a fresh clone with nothing else running, fails naming the step when
// the merchant is down, and neither command ever prints the account's keys.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mock/index.ts';
import { freePort, sourceCli } from '../support/processes.ts';

/** Runs the CLI to the end (asynchronously, so an in-process stand-in keeps answering). */
function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...sourceCli, ...args], {
      env: { ...process.env, GAMEBALL_API_KEY: '', GAMEBALL_SECRET_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 80_000);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gb-flow-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const steps = [
  'push-configuration',
  'redemption-options',
  'redeem',
  'merchant-delivery',
  'customer-coupons',
  'validate-lock',
  'order-burns',
  'campaign-award',
  'campaign-listed',
];

describe('gb-coupon flow', () => {
  it('passes every step with nothing else running (its own stand-in and reference server), and writes reports', async () => {
    const out = path.join(dir, 'reports');
    const result = await run(['flow', '--no-color', '--report', 'json,junit,html', '--out', out]);
    expect(result.out).toContain('gb-coupon flow');
    for (const step of steps) expect(result.out).toMatch(new RegExp(`✓ ${step} `));
    expect(result.out).toContain('9 passed, 0 warnings, 0 failed, 0 skipped');
    expect(result.status).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as {
      checks: { id: string; status: string }[];
    };
    expect(report.checks.map((c) => [c.id, c.status])).toEqual(steps.map((s) => [s, 'passed']));
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('gb-coupon flow');
  }, 90_000);

  it('fails naming the step when the merchant is down, and skips what depended on it', async () => {
    const port = await freePort(); // nothing listens there
    const config = path.join(dir, 'down.json');
    writeFileSync(
      config,
      JSON.stringify({ url: `http://127.0.0.1:${port}/coupons`, method: 'POST', payload: undefined }),
    );
    const result = await run(['flow', '--no-color', '--config', config]);
    expect(result.status).toBe(1);
    expect(result.out).toMatch(
      /✗ redeem .*\n\s+why\s+POST \/coupons\/predefined: Gameball answered 502: The delivery got no answer\s+\(connection\s+refused/,
    );
    expect(result.out).toMatch(/– customer-coupons .*\n\s+why\s+Not run: it needs the code that redeem did not give/);
    expect(result.out).toMatch(/✓ push-configuration /);
  }, 90_000);
});

describe('against a stand-in that is already running', () => {
  let mock: RunningMock;
  const keys = { GAMEBALL_API_KEY: 'gb_live_key_3f9', GAMEBALL_SECRET_KEY: 'gb_secret_8c1d' };
  const keyOptions = { apiKey: keys.GAMEBALL_API_KEY, secretKey: keys.GAMEBALL_SECRET_KEY };
  beforeAll(async () => {
    mock = await startMock({ logLevel: 'silent', ...keyOptions });
  });
  afterAll(async () => {
    await mock.stop();
  });

  it('config push PUTs, reads back the same configuration, and never prints the keys', async () => {
    const config = path.join(dir, 'push.json');
    writeFileSync(
      config,
      JSON.stringify({
        url: 'https://shop.example.com/gameball/coupons',
        method: 'POST',
        headers: [{ key: 'Authorization', value: 'Bearer shop-token-77' }],
      }),
    );
    const result = await run(['config', 'push', config, '--gameball', mock.url, '--no-color'], keys);
    expect(result.out).toMatch(/✓ PUT \/configurations\/coupon {2}200/);
    expect(result.out).toMatch(/✓ GET \/configurations\/coupon {2}200, the same configuration back/);
    expect(result.status).toBe(0);
    for (const secret of [...Object.values(keys), 'shop-token-77']) expect(result.out).not.toContain(secret);
    const stored = await fetch(`${mock.url}/api/v4.0/integrations/configurations/coupon`, {
      headers: { apikey: keys.GAMEBALL_API_KEY, secretkey: keys.GAMEBALL_SECRET_KEY },
    });
    expect(await stored.json()).toMatchObject({ url: 'https://shop.example.com/gameball/coupons' });
  }, 90_000);

  it("config push with a wrong key exits 1 with Gameball's refusal; with no keys it exits 2 before sending", async () => {
    const config = path.join(dir, 'push.json');
    const wrong = await run(['config', 'push', config, '--gameball', mock.url, '--no-color'], {
      ...keys,
      GAMEBALL_SECRET_KEY: 'not-the-key',
    });
    expect(wrong.status).toBe(1);
    expect(wrong.out).toMatch(/✗ PUT \/configurations\/coupon {2}401: Unauthorized/);
    expect(wrong.out).not.toContain('not-the-key');
    const none = await run(['config', 'push', config, '--gameball', mock.url]);
    expect(none.status).toBe(2);
    expect(none.out).toContain("needs the account's keys");
  }, 90_000);

  it('flow --gameball uses the running stand-in and its control plane', async () => {
    const result = await run(['flow', '--gameball', mock.url, '--no-color'], keys);
    expect(result.out).toContain(`Gameball: ${mock.url}.`);
    expect(result.out).toContain('9 passed, 0 warnings, 0 failed, 0 skipped');
    expect(result.status).toBe(0);
    for (const secret of Object.values(keys)) expect(result.out).not.toContain(secret);
  }, 90_000);

  it('flow --gameball on a stand-in whose control plane needs a token: exit 2 without it, every step with it', async () => {
    const controlToken = 'flow-control-token-0123456789';
    const guarded = await startMock({ logLevel: 'silent', controlToken, ...keyOptions });
    try {
      const without = await run(['flow', '--gameball', guarded.url, '--no-color'], keys);
      expect(without.status).toBe(2);
      expect(without.out).toContain('needs its control token: pass --control-token or set GB_COUPON_CONTROL_TOKEN');
      const wrong = await run(['flow', '--gameball', guarded.url, '--control-token', 'not-the-token-0123456789'], keys);
      expect(wrong.status).toBe(2);
      expect(wrong.out).toContain('refused the one given');
      expect(wrong.out).not.toContain('not-the-token-0123456789');
      const given = await run(['flow', '--gameball', guarded.url, '--no-color'], {
        ...keys,
        GB_COUPON_CONTROL_TOKEN: controlToken,
      });
      expect(given.out).toContain('9 passed, 0 warnings, 0 failed, 0 skipped');
      expect(given.status).toBe(0);
      expect(given.out).not.toContain(controlToken);
    } finally {
      await guarded.stop();
    }
  }, 120_000);
});
