// `gb-coupon load` as a user runs it: a child process against small in-process targets, its exit
// code (k6's: 99 for a crossed threshold), its summary and its reports. Each start costs about a
// second, so the runs are few and each asserts several things.
import { writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfiguration } from '../../core/config/default-configuration.ts';
import { exitWithin, type RunningProcess, sourceCli, startProcess } from '../support/processes.ts';
import { accept, storing, type Target, targetsClosedAfterEach } from './support/targets.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const running = new Set<RunningProcess>();
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'gb-load-cli-'));
});
afterAll(async () => {
  for (const child of running) await child.stop('SIGKILL');
  await rm(folder, { recursive: true, force: true });
});

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
  const child = startProcess(process.execPath, [...sourceCli, 'load', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  running.add(child);
  return child;
}

async function finish(child: RunningProcess, timeoutMs = 30_000): Promise<CliResult> {
  try {
    return await exitWithin(child, timeoutMs, 'gb-coupon load');
  } finally {
    running.delete(child);
  }
}

const gbLoad = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> => finish(start(args, env));

/** A thresholds file with none in it: the run's exit code then says only whether the target was reached. */
function emptyThresholds(): string {
  const file = path.join(folder, 'none.json');
  writeFileSync(file, '{}');
  return file;
}

async function configFor(target: Target, name: string): Promise<string> {
  const file = path.join(folder, `${name}.json`);
  await writeFile(file, JSON.stringify(defaultConfiguration(target.url, 'cli-token')));
  return file;
}

const serve = targetsClosedAfterEach();

interface LoadJson {
  requests: number;
  rps: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  errors: number;
  schemaViolations: number;
  dropped: number;
  thresholds: { metric: string; expression: string; ok: boolean; value: number }[];
  failures: { statuses: Record<string, number>; missingCode: number; examples: Record<string, string> };
  reconcile?: { checked: number; stored: number; notStored: number; missingCodes: string[] };
  stoppedBy?: { reason: string };
  timeline: unknown[];
}

const readLoadJson = async (dir: string): Promise<LoadJson> =>
  JSON.parse(await readFile(path.join(dir, 'load.json'), 'utf8')) as LoadJson;

describe('gb-coupon load', () => {
  it('a slow target breaches p(95): exit 99, the crossed threshold in the summary, JUnit and load.json', async () => {
    const slow = await serve((request, index, res) => setTimeout(() => accept(request, index, res), 60));
    const thresholds = path.join(folder, 'fast.json');
    await writeFile(thresholds, JSON.stringify({ http_req_duration: ['p(95)<30', 'max<5000'], checks: ['rate>0.99'] }));
    const out = path.join(folder, 'slow');
    const result = await gbLoad([
      '--config',
      await configFor(slow, 'slow'),
      '--rate',
      '40',
      '--duration',
      '1s',
      '--thresholds',
      thresholds,
      '--report',
      'json,junit,html',
      '--out',
      out,
      '--seed',
      '3',
    ]);
    expect(result.code).toBe(99);
    expect(result.stdout).toMatch(/✗ http_req_duration\s+p\(95\)<30\s+p\(95\)=\d+(\.\d+)?ms/);
    expect(result.stdout).toMatch(/✓ http_req_duration\s+max<5000/);
    expect(result.stdout).toMatch(/✓ checks/);
    expect(result.stdout).toMatch(/FAILED: 1 of 3 thresholds crossed \(exit 99\)/);
    // Not a terminal: no progress line.
    expect(result.stdout + result.stderr).not.toContain('\r');

    const report = await readLoadJson(out);
    expect(report).toMatchObject({ requests: 40, errors: 0, schemaViolations: 0, dropped: 0 });
    expect(report.latencyMs.p95).toBeGreaterThanOrEqual(60);
    expect(report.rps).toBeGreaterThan(30);
    expect(report.thresholds).toEqual([
      { metric: 'http_req_duration', expression: 'p(95)<30', ok: false, value: report.latencyMs.p95 },
      { metric: 'http_req_duration', expression: 'max<5000', ok: true, value: report.latencyMs.max },
      { metric: 'checks', expression: 'rate>0.99', ok: true, value: 1 },
    ]);

    const junit = new XMLParser({ ignoreAttributes: false }).parse(await readFile(path.join(out, 'junit.xml'), 'utf8'));
    const cases = [junit.testsuites.testsuite.testcase].flat() as Record<string, unknown>[];
    expect(cases.map((c) => c['@_name'])).toEqual([
      'http_req_duration p(95)<30',
      'http_req_duration max<5000',
      'checks rate>0.99',
    ]);
    expect(cases.map((c) => 'failure' in c)).toEqual([true, false, false]);

    const html = await readFile(path.join(out, 'load.html'), 'utf8');
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    expect(html).not.toMatch(/<script|src="http/);
    expect(html.match(/<svg class="load-chart"/g)).toHaveLength(3);
    expect(html).toContain('p(95)&lt;30');
  });

  it('a target answering 500 to 1% of requests breaches http_req_failed (the shipped thresholds)', async () => {
    const flaky = await serve((request, index, res) => {
      if (index % 100 === 50) res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
      else accept(request, index, res);
    });
    const out = path.join(folder, 'flaky');
    const result = await gbLoad([
      '--config',
      await configFor(flaky, 'flaky'),
      // A connection for every request, so that a pause of the machine cannot turn into drops.
      '--connections',
      '200',
      '--rate',
      '200',
      '--duration',
      '1s',
      '--report',
      'json',
      '--out',
      out,
    ]);
    expect(result.code).toBe(99);
    expect(result.stdout).toMatch(/✗ http_req_failed\s+rate<0\.001\s+rate=1\.00%/);
    expect(result.stdout).toContain('HTTP 500 ×2');
    const report = await readLoadJson(out);
    expect(report.failures.statuses).toEqual({ '500': 2 });
    expect(report.errors).toBe(2);
    expect(report.failures.examples['status 500']).toBe(
      'The endpoint answered 500 with boom; Gameball treats anything but 200 as a failed coupon.',
    );
    expect(report.thresholds.find((t) => t.metric === 'http_req_failed')).toMatchObject({ ok: false, value: 0.01 });
  });

  it("shows the target's answers with control and bidi characters made visible, never raw", async () => {
    const hostile = '{"error":"\u001b[2J\u001b]0;pwned\u0007 \u0000 \u202egnp.exe"}';
    const target = await serve((_request, _index, res) =>
      res.writeHead(500, { 'content-type': 'application/json' }).end(hostile),
    );
    const result = await gbLoad([
      '--config',
      await configFor(target, 'hostile'),
      '--rate',
      '20',
      '--duration',
      '500ms',
    ]);
    expect(result.code).toBe(99);
    expect(result.stdout).toContain('FIRST OF EACH FAILURE');
    expect(result.stdout).toContain('\\u001b[2J\\u001b]0;pwned\\u0007 \\u0000 \\u202egnp.exe');
    // NO_COLOR: nothing in the output may be a control character but the line ends.
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
    expect(result.stdout).toContain('(exit 99).');
  });

  it('a target answering 200 without the code breaches checks', async () => {
    const forgetsCode = await serve((_request, _index, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"created"}'),
    );
    const out = path.join(folder, 'nocode');
    const result = await gbLoad([
      '--config',
      await configFor(forgetsCode, 'nocode'),
      '--rate',
      '50',
      '--duration',
      '1s',
      '--report',
      'json',
      '--out',
      out,
    ]);
    expect(result.code).toBe(99);
    expect(result.stdout).toMatch(/✗ checks\s+rate>0\.999\s+rate=33\.33%/);
    expect(result.stdout).toMatch(/✓ http_req_failed/);
    expect(result.stdout).toContain('200 without the code ×50');
    const report = await readLoadJson(out);
    expect(report.failures.missingCode).toBe(50);
    expect(report.errors).toBe(50);
  });

  it('--reconcile reports codes acknowledged but not stored, and exits 99', async () => {
    const stored = new Set<string>();
    const forgetful = await serve(storing(stored, (index) => index === 7));
    const out = path.join(folder, 'reconcile');
    const result = await gbLoad([
      '--config',
      await configFor(forgetful, 'forgetful'),
      '--rate',
      '40',
      '--duration',
      '1s',
      '--reconcile',
      '--report',
      'json',
      '--out',
      out,
    ]);
    expect(result.code).toBe(99);
    const forgotten = forgetful.requests.find((r) => r.method === 'POST' && !stored.has(r.code!))!.code!;
    expect(result.stdout).toContain('40 looked up: 39 stored, 1 acknowledged but not stored');
    expect(result.stdout).toMatch(/✗ coupons_not_stored\s+count<1\s+count=1/);
    const report = await readLoadJson(out);
    expect(report.reconcile).toMatchObject({ checked: 40, stored: 39, notStored: 1, missingCodes: [forgotten] });
  });

  it('Ctrl-C stops the run and still writes the reports of what ran', async () => {
    const fast = await serve(accept);
    const out = path.join(folder, 'interrupted');
    const child = start([
      '--config',
      await configFor(fast, 'interrupt'),
      '--rate',
      '50',
      '--duration',
      '2m',
      '--report',
      'json,html',
      '--out',
      out,
    ]);
    // The handler is in place before this line is printed.
    await child.waitFor(/thresholds: /);
    await expect.poll(() => fast.requests.length, { timeout: 10_000 }).toBeGreaterThan(5);
    child.child.kill('SIGINT');
    const result = await finish(child);
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('Interrupted: the figures cover what ran before Ctrl-C.');
    expect(result.stdout).toMatch(/(PASSED|FAILED): .* \(exit 130\)\./);
    const report = await readLoadJson(out);
    expect(report.stoppedBy).toEqual({ reason: 'interrupted' });
    expect(report.requests).toBeGreaterThan(5);
    expect(report.requests).toBe(fast.requests.length);
  });

  it('without --config, loads the reference server in-process; every coupon answered is stored', async () => {
    // Latency thresholds are left out: the embedded server shares this process and the test machine,
    // and a test does not time performance. What must hold on any machine: no failure, all stored.
    const thresholds = path.join(folder, 'correctness.json');
    await writeFile(
      thresholds,
      JSON.stringify({ http_req_failed: ['rate<0.001'], checks: ['rate>0.999'], data_sent: ['count>10000'] }),
    );
    const result = await gbLoad(['--rate', '50', '--duration', '1s', '--reconcile', '--thresholds', thresholds]);
    expect(result.stdout).toContain('(the built-in reference server, temporary database)');
    expect(result.stdout).toContain('50 looked up: 50 stored, 0 acknowledged but not stored');
    // k6's data lines: 50 deliveries of about 400 bytes each way, with their rates.
    expect(result.stdout).toMatch(/data_received\.+: [\d.]+ kB {2}[\d.]+ kB\/s/);
    expect(result.stdout).toMatch(/data_sent\.+: [\d.]+ kB {2}[\d.]+ kB\/s/);
    expect(result.stdout).toMatch(/PASSED: all 4 thresholds held/);
    expect(result.code).toBe(0);
  });

  it('loads an https endpoint whose certificate authority is given with NODE_EXTRA_CA_CERTS, and says so when not', async () => {
    const certificate = path.join(root, 'test/support/tls/cert.pem');
    const server = createHttpsServer(
      { cert: await readFile(certificate), key: await readFile(path.join(root, 'test/support/tls/key.pem')) },
      (req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          const { code } = JSON.parse(body) as { code: string };
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ couponCode: code }));
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const config = path.join(folder, 'https.json');
      await writeFile(config, JSON.stringify(defaultConfiguration(`https://127.0.0.1:${port}/coupons`, 'cli-token')));
      const args = ['--config', config, '--rate', '20', '--duration', '500ms', '--thresholds', emptyThresholds()];
      const trusted = await gbLoad(args, { NODE_EXTRA_CA_CERTS: certificate });
      expect(trusted.stdout).toMatch(/completed\.+: 10 answered/);
      expect(trusted.code).toBe(0);
      const untrusted = await gbLoad(args);
      expect(untrusted.stdout).toMatch(/connection errors ×10/);
      expect(untrusted.stdout).toMatch(
        /TLS certificate is not trusted \(self-signed certificate\).*NODE_EXTRA_CA_CERTS/,
      );
      expect(untrusted.code).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('exits 1 when the target cannot be reached at all', async () => {
    const gone = await serve(accept);
    const config = await configFor(gone, 'gone');
    await gone.close();
    const result = await gbLoad(['--config', config, '--rate', '20', '--duration', '500ms']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/connection errors ×10/);
    expect(result.stdout).toMatch(/connection refused/);
    // The exit code printed is the one the command ends with (issue 18: it said 99).
    expect(result.stdout).toContain('FAILED: no request reached the target (exit 1).');
    expect(result.stdout).not.toContain('(exit 99)');
  });

  it.each([
    [['--thresholds', 'BAD'], /thresholds/],
    [['--rate', 'fast'], /--rate takes requests per second \(a number above 0\), or "max"/],
    [['--duration', '10'], /--duration takes a duration as k6 writes it/],
    [['--stages', '10s:100', '--duration', '10s'], /--stages sets the duration itself/],
    [['--rate', 'max', '--stages', '10s:100'], /--rate max is the closed model/],
    [['--mix', 'redeem=3,nope=1'], /Unknown scenario "nope"/],
  ])('refuses %j with exit 2 and one paragraph', async (args, message) => {
    const result = await gbLoad(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an invalid threshold expression in the file is a usage error naming it', async () => {
    const file = path.join(folder, 'bad-thresholds.json');
    await writeFile(file, JSON.stringify({ http_req_duration: ['p95<250'] }));
    const result = await gbLoad(['--thresholds', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Invalid threshold "p95<250" for http_req_duration in ${file}`);
  });
});
