// The gb-coupon CLI as a user runs it: a real child process, its exit code, what it prints and the
// report files it writes. Each start costs a few hundred milliseconds, so the runs are few and
// each asserts several things a user relies on.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeGenerator, seededRandom } from '../../core/scenarios/scenarios.ts';
import { exitWithin, type RunningProcess, sourceCli, startProcess } from '../support/processes.ts';
import { type MerchantDouble, startMerchantDouble } from './support/merchant-double.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const running = new Set<RunningProcess>();

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `gb-coupon ...args` from the repository root and waits for it to exit (stopping it by PID on
 * timeout). The timeout only stops a hung process: seven CLIs start at once below, each compiling
 * the sources through tsx, on a machine shared with other work, so it is generous.
 */
async function gbCoupon(args: string[], timeoutMs = 50_000): Promise<CliResult> {
  const child = startProcess(process.execPath, [...sourceCli, ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
  });
  running.add(child);
  try {
    return await exitWithin(child, timeoutMs, `gb-coupon ${args.join(' ')}`);
  } finally {
    running.delete(child);
  }
}

let folder: string;
let double: MerchantDouble;
let faultyConfig: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'gb-coupon-cli-'));
  double = await startMerchantDouble('ignores-auth');
  faultyConfig = path.join(folder, 'faulty.json');
  await writeFile(
    faultyConfig,
    JSON.stringify(
      { url: double.url, method: 'POST', headers: [{ key: 'Authorization', value: `Bearer ${double.token}` }] },
      null,
      2,
    ),
  );
});

afterAll(async () => {
  await Promise.all([...running].map((child) => child.stop('SIGKILL')));
  await double?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('gb-coupon verify', () => {
  it('with no --config verifies the embedded reference server and exits 0', async () => {
    // A generous budget: the latency check has its own tests, and a loaded CI machine must not
    // turn this one red.
    const result = await gbCoupon(['verify', '--latency-budget', '5000']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('embedded reference server');
    expect(result.stdout).toContain('12 passed, 0 warnings, 0 failed');
    // The reference server's own lookup reads back what was stored, without being asked.
    expect(result.stdout).toMatch(/^Lookup {3}GET http:\/\/127\.0\.0\.1:\d+\/coupons\/\{code\}/m);
    expect(result.code).toBe(0);
  });

  it('exits 0 on warnings (advice), 1 with --strict, and shows them in the console', async () => {
    const plain = await startMerchantDouble('plain-text-errors');
    try {
      const config = path.join(folder, 'plain-text.json');
      await writeFile(
        config,
        JSON.stringify({
          url: plain.url,
          method: 'POST',
          headers: [{ key: 'Authorization', value: `Bearer ${plain.token}` }],
        }),
      );
      const args = ['verify', '--config', config, '--only', 'template,accepted,bad-input', '--seed', '5'];
      const lenient = await gbCoupon(args);
      expect(lenient.stdout).toMatch(/^! bad-input\b/m);
      expect(lenient.stdout).toMatch(/^ {4}warn {2}malformed JSON answered 400 without a JSON error body/m);
      expect(lenient.stdout).toContain('[error-body-not-json]');
      expect(lenient.stdout).toContain('2 passed, 1 warning, 0 failed, 9 skipped');
      expect(lenient.code).toBe(0);
      const strict = await gbCoupon([...args, '--strict']);
      expect(strict.stdout).toContain('(strict: warnings fail the run)');
      expect(strict.code).toBe(1);
    } finally {
      await plain.close();
    }
  });

  describe('against an endpoint that ignores auth', () => {
    let first: CliResult;
    let firstReport: Report;
    const out = (name: string): string => path.join(folder, name);

    interface Report {
      seed: number;
      summary: { passed: number; warnings: number; failed: number; skipped: number };
      checks: { id: string; status: string; kind?: string; message: string; reproduction?: { curl: string } }[];
    }
    const readReport = async (dir: string): Promise<Report> =>
      JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Report;

    beforeAll(async () => {
      first = await gbCoupon([
        'verify',
        '--config',
        faultyConfig,
        '--seed',
        '42',
        '--report',
        'json,junit,html',
        '--out',
        out('first'),
      ]);
      firstReport = await readReport(out('first')).catch(() => ({
        seed: -1,
        summary: { passed: -1, warnings: -1, failed: -1, skipped: -1 },
        checks: [],
      }));
    });

    it('exits 1 and names the failing check with a curl line that reproduces it', () => {
      expect(first.code).toBe(1);
      expect(first.stdout).toMatch(/✗ auth-required\b/);
      expect(first.stdout).toMatch(/^\s*curl\s+curl -sS -i -X POST 'http:\/\/127\.0\.0\.1:\d+\/coupons'/m);
      expect(first.stdout).toMatch(/\d+ passed, \d+ warnings?, [1-9]\d* failed/);
      expect(first.stderr).toBe('');
    });

    it('writes report.json, junit.xml and report.html into --out', async () => {
      const junit = await readFile(path.join(out('first'), 'junit.xml'), 'utf8');
      const html = await readFile(path.join(out('first'), 'report.html'), 'utf8');
      expect(junit).toMatch(/<testsuites?[\s>]/);
      expect(junit).toContain('auth-required');
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain('auth-required');

      expect(firstReport.seed).toBe(42);
      const { passed, warnings, failed, skipped } = firstReport.summary;
      expect(passed + warnings + failed + skipped).toBe(12);
      expect(firstReport.checks).toHaveLength(12);
      for (const check of firstReport.checks) {
        expect(check.id).toMatch(/^[a-z-]+$/);
        expect(['passed', 'warning', 'failed', 'skipped']).toContain(check.status);
        expect(check.message.length).toBeGreaterThan(0);
      }
      expect(failed).toBe(firstReport.checks.filter((c) => c.status === 'failed').length);
      const auth = firstReport.checks.find((c) => c.id === 'auth-required');
      expect(auth?.status).toBe('failed');
      expect(auth?.reproduction?.curl).toMatch(/^curl /);
      // Only auth-required fails: the endpoint is correct apart from auth, and a wrong credential
      // means nothing to an endpoint that needs none (skipped, depending on auth-required).
      expect(firstReport.checks.filter((c) => c.status === 'failed').map((c) => c.id)).toEqual(['auth-required']);
      expect(firstReport.checks.find((c) => c.id === 'wrong-credentials')?.kind).toBe('dependency-failed');
    });

    it('repeats the same codes under the same --seed', async () => {
      const again = await gbCoupon([
        'verify',
        '--config',
        faultyConfig,
        '--seed',
        '42',
        '--report',
        'json',
        '--out',
        out('again'),
      ]);
      expect(again.code).toBe(1);
      const second = await readReport(out('again'));
      const curlOf = (report: Report, id: string): string | undefined =>
        report.checks.find((c) => c.id === id)?.reproduction?.curl;
      expect(curlOf(firstReport, 'auth-required')).toMatch(/"code":"GB10-[A-Z0-9]{10}"/);
      expect(curlOf(second, 'auth-required')).toBe(curlOf(firstReport, 'auth-required'));
      expect(curlOf(second, 'accepted')).toBe(curlOf(firstReport, 'accepted'));
    });

    it('--only runs the named checks and marks the others skipped', async () => {
      const result = await gbCoupon([
        'verify',
        '--config',
        faultyConfig,
        '--only',
        'accepted,latency',
        '--report',
        'json',
        '--out',
        out('only'),
      ]);
      expect(result.code).toBe(0);
      const report = await readReport(out('only'));
      const statuses = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
      expect(statuses.accepted).toBe('passed');
      expect(statuses.latency).toBe('passed');
      expect(report.checks.filter((c) => c.status === 'skipped')).toHaveLength(10);
      expect(statuses['auth-required']).toBe('skipped');
      expect(report.summary).toEqual({ passed: 2, warnings: 0, failed: 0, skipped: 10 });
    });
  });
});

describe('gb-coupon trigger', () => {
  it('sends one redeem delivery to the embedded server and shows the request and the answer', async () => {
    const result = await gbCoupon(['trigger', 'redeem', '--seed', '42']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/coupons$/m);
    expect(result.stdout).toMatch(/^< 200\b/m);
    const expectedCode = codeGenerator(seededRandom(42))('GB10');
    expect(result.stdout).toContain(`"code": "${expectedCode}"`);
    expect(result.stdout).toContain(`"couponCode": "${expectedCode}"`);
  });

  it('--set overrides placeholder values in the body it sends', async () => {
    const result = await gbCoupon([
      'trigger',
      'campaign',
      '--config',
      faultyConfig,
      '--set',
      'value=25',
      '--set',
      'playerUniqueId=CUS_9',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"value": 25,');
    expect(result.stdout).toContain('"playerUniqueId": "CUS_9"');
    const sent = [...double.stored.values()].filter((body) => body.playerUniqueId === 'CUS_9');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ playerUniqueId: 'CUS_9', value: 25, couponType: 'fixed_discount' });
  });
});

describe('usage and configuration errors exit 2 with one paragraph and no stack trace', () => {
  const cases: [string, () => string[], RegExp][] = [
    [
      'a missing config file',
      () => ['verify', '--config', path.join(folder, 'nope.json')],
      /nope\.json: it does not exist/,
    ],
    [
      'a config file that is not JSON',
      () => ['verify', '--config', path.join(folder, 'broken.json')],
      /broken\.json is not valid JSON/,
    ],
    [
      'couponMapping with booleans',
      () => ['verify', '--config', path.join(folder, 'booleans.json')],
      /"couponMapping": \{"fixed": "fixed_discount"/,
    ],
    [
      'an unknown --only id',
      () => ['verify', '--config', faultyConfig, '--only', 'accepted,speed'],
      /Unknown check id speed/,
    ],
    ['a bad --seed', () => ['verify', '--seed', '1.5'], /--seed takes a whole number/],
    ['a bad --report format', () => ['verify', '--report', 'json,pdf'], /Unknown report format "pdf"/],
    ['an unknown trigger scenario', () => ['trigger', 'refund'], /Unknown scenario "refund"/],
  ];
  const results = new Map<string, CliResult>();

  beforeAll(async () => {
    // A file a person edited by hand: several lines, a blank one, an unquoted value (JSON.parse
    // quotes the text around the mistake in its message, newlines and all).
    await writeFile(
      path.join(folder, 'broken.json'),
      '{\n  "url": "http://127.0.0.1:9/coupons",\n\n  "method":\n\n  POST\n}\n',
    );
    await writeFile(
      path.join(folder, 'booleans.json'),
      JSON.stringify({
        url: 'http://127.0.0.1:9/coupons',
        method: 'POST',
        couponMapping: { percentage: true, fixed: false },
      }),
    );
    await Promise.all(cases.map(async ([name, args]) => results.set(name, await gbCoupon(args()))));
  });

  it.each(cases)('%s', (name, _args, message) => {
    const result = results.get(name)!;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^gb-coupon: /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('    at ');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });
});

describe('gb-coupon --help', () => {
  it('exits 0 and lists the commands', async () => {
    const result = await gbCoupon(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\s+verify\b/m);
    expect(result.stdout).toMatch(/^\s+trigger\b/m);
  });
});

describe('interrupting the embedded default', () => {
  it('Ctrl-C during verify removes the temporary database, reports nothing and exits 130', async () => {
    const scratch = await mkdtemp(path.join(folder, 'tmp-'));
    const out = path.join(scratch, 'reports');
    const child = startProcess(process.execPath, [...sourceCli, 'verify', '--report', 'json,html', '--out', out], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', TMPDIR: scratch },
    });
    running.add(child);
    try {
      // Interrupt once the run is under way: the header is printed inside the embedded target, after
      // the signal handlers are installed and the server's folder exists. The handlers stay until the
      // process exits, so the signal cannot fall between their removal and the exit. (tsx keeps its
      // own cache in TMPDIR too; only our folders count.)
      const ours = async (): Promise<string[]> =>
        (await readdir(scratch)).filter((name) => name.startsWith('gb-coupon-'));
      await child.waitFor(/^Target\s+POST http:\/\/127\.0\.0\.1:\d+\/coupons/m, 30_000);
      expect(await ours()).toHaveLength(1);
      process.kill(child.child.pid!, 'SIGINT');
      expect(await child.exited).toBe(130);
      expect(await ours()).toEqual([]);
      // No verdict from a run against a server that was shut down under it, and no report files.
      expect(child.output()).not.toMatch(/\d+ passed, \d+ warnings?, \d+ failed/);
      expect(await readdir(out).catch(() => [])).toEqual([]);
    } finally {
      await child.stop('SIGKILL');
      running.delete(child);
    }
  });
});

describe('trigger output', () => {
  it('reads the template first: a misspelt placeholder is named on stderr before the delivery is sent', async () => {
    const config = path.join(folder, 'misspelt.json');
    await writeFile(
      config,
      JSON.stringify({
        url: double.url,
        method: 'POST',
        headers: [{ key: 'Authorization', value: `Bearer ${double.token}` }],
        payload: '{"code":"{{code}}","customer":"{{customerId}}","store":"{{storeId}}"}',
      }),
    );
    const result = await gbCoupon(['trigger', 'redeem', '--config', config, '--set', 'storeId=eg']);
    expect(result.stderr).toMatch(
      /^template warning \[template-unknown-placeholder\]: \{\{customerId\}\} at line 1, column 32 .*Did you mean \{\{playerUniqueId\}\}\?/m,
    );
    // A placeholder given with --set is the user's own, not a mistake.
    expect(result.stderr).not.toContain('storeId');
  });

  it('redacts the configured credential unless --show-secrets, and keeps the endpoint from steering the terminal', async () => {
    const redacted = await gbCoupon(['trigger', 'redeem', '--config', faultyConfig]);
    expect(redacted.stdout).toContain('authorization: Bearer <redacted>');
    expect(redacted.stdout).not.toContain(double.token);
    const shown = await gbCoupon(['trigger', 'redeem', '--config', faultyConfig, '--show-secrets']);
    expect(shown.stdout).toContain(`authorization: Bearer ${double.token}`);
  });

  it("shows an endpoint's terminal controls as text instead of obeying them", async () => {
    const hostile = await startMerchantDouble('answers-with-escapes');
    try {
      const config = path.join(folder, 'hostile.json');
      await writeFile(
        config,
        JSON.stringify({
          url: hostile.url,
          method: 'POST',
          headers: [{ key: 'Authorization', value: `Bearer ${hostile.token}` }],
        }),
      );
      const result = await gbCoupon(['trigger', 'redeem', '--config', config]);
      expect(result.stdout).toContain('\\u001b[2J\\u009b31m');
      expect(result.stdout).not.toMatch(/[\u001b\u009b]/);
    } finally {
      await hostile.close();
    }
  });

  it('escapes the verdict and findings too: an error body quoted in them never reaches the terminal raw', async () => {
    const server = createServer((_req, res) =>
      res.writeHead(500, { 'content-type': 'text/plain' }).end('\u001b]0;pwned\u0007 \u0000 \u202egnp.exe'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const config = path.join(folder, 'hostile-500.json');
      const { port } = server.address() as { port: number };
      await writeFile(config, JSON.stringify({ url: `http://127.0.0.1:${port}/coupons`, method: 'POST' }));
      const result = await gbCoupon(['trigger', 'redeem', '--config', config]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /Gameball would treat this as a failure\. The endpoint answered 500 with \\u001b\]0;pwned\\u0007 \\u0000 \\u202egnp\.exe/,
      );
      expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('live output', () => {
  it('prints the header and each finished check while the run is still going', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        void released.then(() => {
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ couponCode: (JSON.parse(raw) as { code: string }).code }));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const config = path.join(folder, 'held.json');
    await writeFile(
      config,
      JSON.stringify({
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}/coupons`,
        method: 'POST',
        headers: [{ key: 'Authorization', value: 'Bearer held' }],
      }),
    );
    const child = startProcess(process.execPath, [...sourceCli, 'verify', '--config', config, '--only', 'accepted'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    });
    running.add(child);
    try {
      // The first delivery is held, yet the header is already out.
      await child.waitFor(/Target\s+POST http:\/\/127\.0\.0\.1:\d+\/coupons/, 15_000);
      expect(child.child.exitCode).toBeNull();
      expect(child.output()).not.toContain('accepted');
      release();
      expect(await child.exited).toBe(0);
      expect(child.output()).toMatch(/✓ accepted[\s\S]*1 passed, 0 warnings, 0 failed, 11 skipped/);
    } finally {
      release();
      await child.stop('SIGKILL');
      running.delete(child);
      server.closeAllConnections();
      server.close();
    }
  });
});
