// verify and load against a fleet: three `gb-coupon serve` processes on one real PostgreSQL
// database (a throw-away cluster), addressed with --target. verify spreads its concurrency checks
// across them and its report names the instance of each delivery; load round-robins and reconciles
// through every instance. Against a fleet where one instance keeps its own SQLite file (so it does
// not see the others' coupons), the spread checks fail, where the same checks against the primary
// alone pass: spreading is what finds the broken fleet. Processes are stopped by PID.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfiguration } from '../../core/config/default-configuration.ts';
import { UsageError } from '../../core/errors.ts';
import type { Report } from '../../harness/report/types.ts';
import { verify } from '../../harness/run/verify.ts';
import type { LoadReport } from '../../loadtest/runner/load-report.ts';
import { runLoadTest } from '../../loadtest/runner/run-load-test.ts';
import { countRows, postgresForFile, token } from '../server/helpers.ts';
import { exitWithin, type RunningProcess, sourceCli, startProcess } from '../support/processes.ts';
import { type ServeInstance, startServe } from '../support/serve-process.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const postgres = postgresForFile();
const started: RunningProcess[] = [];
let folder: string;
let db: string;
let fleet: ServeInstance[];
let configFile: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'gb-fleet-cli-'));
  db = await (await postgres()).createDatabase();
  fleet = await Promise.all([0, 1, 2].map(() => startServe(db, token, started)));
  configFile = path.join(folder, 'fleet.json');
  await writeFile(configFile, JSON.stringify(configurationOf(fleet[0]!)));
});

afterAll(async () => {
  await Promise.all(started.map((running) => running.stop('SIGKILL')));
  if (folder) await rm(folder, { recursive: true, force: true });
});

const configurationOf = (primary: ServeInstance) => defaultConfiguration(`${primary.url}/coupons`, token);
const lookupOf = (primary: ServeInstance): string => `GET ${primary.url}/coupons/{code}`;

async function gbCoupon(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startProcess(process.execPath, [...sourceCli, ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
  });
  started.push(child);
  return exitWithin(child, 120_000, `gb-coupon ${args.join(' ')}`);
}

/** The request lines an instance has logged so far: method and path. */
function requestsLogged(
  instance: ServeInstance,
  output = instance.process.stdout(),
): { method: string; url: string }[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"msg":"request"'))
    .map((line) => JSON.parse(line) as { method: string; url: string });
}

/**
 * The request lines an instance logged after the first `from`, once at least `count` of them have
 * `method` (a line is written as its answer goes out, so it may reach the pipe after the client had the answer).
 */
async function loggedSince(
  instance: ServeInstance,
  from: number,
  method: string,
  count: number,
): Promise<{ method: string; url: string }[]> {
  const since = (output?: string) => requestsLogged(instance, output).slice(from);
  await instance.process.waitFor((output) => since(output).filter((r) => r.method === method).length >= count, 20_000);
  return since();
}

const spreadChecks = ['idempotent-retry', 'concurrent-duplicates', 'conflicting-reuse', 'stability'];

describe('verify and load against three instances on one PostgreSQL database', () => {
  it('verify --target a --target b --target c passes, spreads the concurrency checks and names the instance of each delivery', async () => {
    const [a, b, c] = fleet as [ServeInstance, ServeInstance, ServeInstance];
    const before = fleet.map((instance) => requestsLogged(instance).length);
    const out = path.join(folder, 'verify');
    const args = ['verify', '-c', configFile, '--target', a.url, '--target', b.url, '--target', c.url];
    const result = await gbCoupon([...args, '--lookup', lookupOf(a), '--report', 'json', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Fleet    ${a.url} · ${b.url} · ${c.url}`);
    expect(result.stdout).toMatch(new RegExp(`Spread   ${a.url} \\d+ · ${b.url} \\d+ · ${c.url} \\d+`));
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.outcome).toBe('passed');
    expect(report.summary.failed).toBe(0);
    expect(report.target.instances).toEqual([a.url, b.url, c.url]);
    const instancesOf = (checkId: string): Set<string | undefined> =>
      new Set(report.latency.timeline.filter((sample) => sample.checkId === checkId).map((s) => s.instance));
    // The retry reached another instance than the original; the other spread checks reached all three.
    expect(instancesOf('idempotent-retry')).toEqual(new Set([a.url, b.url]));
    for (const id of spreadChecks.slice(1)) expect(instancesOf(id)).toEqual(new Set([a.url, b.url, c.url]));
    // Every other check went to the configuration's url.
    for (const sample of report.latency.timeline.filter((s) => !spreadChecks.includes(s.checkId))) {
      expect(sample.instance).toBe(a.url);
    }
    // Each instance's own request log shows the deliveries and the lookups read through it.
    for (const [i, instance] of fleet.entries()) {
      const delivered = report.latency.timeline.filter((s) => s.instance === instance.url).length;
      const logged = await loggedSince(instance, before[i]!, 'POST', delivered);
      expect(logged.filter((r) => r.method === 'POST').length).toBe(delivered);
      expect(logged.filter((r) => r.method === 'GET' && r.url.startsWith('/coupons/')).length).toBeGreaterThan(0);
    }
  });

  it('load --target a,b,c --reconcile stores every acknowledged coupon and sends each instance a third', async () => {
    const [a, b, c] = fleet as [ServeInstance, ServeInstance, ServeInstance];
    const before = fleet.map((instance) => requestsLogged(instance).length);
    const rowsBefore = await countRows(db);
    // Thresholds on what was answered and stored only: no timed assertion on a shared machine.
    const thresholds = path.join(folder, 'thresholds.json');
    await writeFile(thresholds, JSON.stringify({ http_req_failed: ['rate==0'], checks: ['rate==1'] }));
    const out = path.join(folder, 'load');
    const result = await gbCoupon([
      ...['load', '-c', configFile, '--target', `${a.url},${b.url},${c.url}`, '--reconcile'],
      ...['--rate', '100', '--duration', '3s', '--connections', '30', '--thresholds', thresholds],
      ...['--report', 'json', '--out', out, '--seed', '11'],
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`round-robin across 3 instances: ${a.url}, ${b.url}, ${c.url}`);
    const report = JSON.parse(await readFile(path.join(out, 'load.json'), 'utf8')) as LoadReport;
    expect(report.errors).toBe(0);
    expect(report.answered).toBe(report.requests);
    expect(report.reconcile).toMatchObject({ checked: report.requests, stored: report.requests, notStored: 0 });
    expect(report.reconcile!.lookupErrors).toBe(0);
    expect(report.reconcile!.lookups).toHaveLength(3);
    expect(await countRows(db)).toBe(rowsBefore + report.requests);
    // Round-robin: each instance was sent a third (to one request), as the report and its own log say.
    expect(report.instances!.map((i) => i.url)).toEqual([a.url, b.url, c.url]);
    for (const [i, instance] of fleet.entries()) {
      const counted = report.instances![i]!;
      expect(Math.abs(counted.requests - report.requests / 3)).toBeLessThanOrEqual(1);
      expect(counted.failures).toBe(0);
      // The reconciliation read back through every instance too, after the deliveries.
      const logged = await loggedSince(instance, before[i]!, 'GET', Math.floor(report.requests / 3));
      expect(logged.filter((r) => r.method === 'POST').length).toBe(counted.requests);
      expect(Math.abs(logged.filter((r) => r.method === 'GET').length - report.requests / 3)).toBeLessThanOrEqual(1);
    }
  });

  it('the library takes the same targets: runLoadTest({ targets }) spreads and reconciles', async () => {
    const [a, b, c] = fleet as [ServeInstance, ServeInstance, ServeInstance];
    const report = await runLoadTest({
      configuration: configurationOf(a),
      targets: [b.url, c.url],
      load: { rate: 60, durationMs: 1000 },
      connections: 30,
      thresholdsFile: false,
      reconcile: true,
      seed: 12,
    });
    expect(report.errors).toBe(0);
    expect(report.instances!.map((i) => i.url)).toEqual([a.url, b.url, c.url]);
    for (const counted of report.instances!)
      expect(Math.abs(counted.requests - report.requests / 3)).toBeLessThanOrEqual(1);
    const { requests } = report;
    expect(report.reconcile).toMatchObject({ checked: requests, stored: requests, notStored: 0, lookupErrors: 0 });
  });
});

describe('a fleet whose third instance keeps its own SQLite file', () => {
  let split: ServeInstance;
  beforeAll(async () => {
    split = await startServe(path.join(folder, 'own.db'), token, started);
  });

  it('fails verify({ targets }) where each coupon must be one coupon across instances, and passes without targets', async () => {
    const [a, b] = fleet as [ServeInstance, ServeInstance];
    const options = { lookup: lookupOf(a), seed: 21 };
    const spread = await verify(configurationOf(a), { ...options, targets: [b.url, split.url] });
    expect(spread.outcome).toBe('failed');
    const byId = new Map(spread.checks.map((check) => [check.id, check]));
    // The retry went to b; the lookup through the split instance finds nothing.
    expect(byId.get('idempotent-retry')).toMatchObject({ status: 'failed', kind: 'acknowledged-not-stored' });
    expect(byId.get('idempotent-retry')!.message).toContain(`through ${split.url}`);
    // The conflicting reuse reached the split instance, which took it as a new coupon.
    expect(byId.get('conflicting-reuse')).toMatchObject({ status: 'failed', kind: 'conflict-accepted' });
    expect(byId.get('conflicting-reuse')!.message).toContain(`on ${split.url}`);
    expect(byId.get('conflicting-reuse')!.reproduction!.request.url).toBe(`${split.url}/coupons`);
    // A coupon the split instance answered is not readable through a (and the other way round).
    expect(byId.get('stability')).toMatchObject({ status: 'failed', kind: 'acknowledged-not-stored' });
    // The same run against the primary alone passes: only spreading finds the broken fleet.
    const alone = await verify(configurationOf(a), { ...options, seed: 24 });
    expect(alone.checks.filter((check) => check.status !== 'passed')).toEqual([]);
  });

  it('fails load --reconcile: each code is read through an instance that did not answer it', async () => {
    const [a] = fleet as [ServeInstance];
    const report = await runLoadTest({
      configuration: configurationOf(a),
      targets: [split.url],
      load: { rate: 40, durationMs: 1000 },
      connections: 4,
      thresholdsFile: false,
      reconcile: true,
      seed: 13,
    });
    expect(report.errors).toBe(0);
    // Read back through the instance that stored it, every code would look stored.
    const { requests } = report;
    expect(report.reconcile).toMatchObject({ checked: requests, stored: 0, notStored: requests, lookupErrors: 0 });
    expect(report.passed).toBe(false);
    expect(report.thresholds.find((t) => t.metric === 'coupons_not_stored')).toMatchObject({ ok: false });
  });

  it('fails conflicting-reuse across instances even without a lookup', async () => {
    const [a, b] = fleet as [ServeInstance, ServeInstance];
    for (const targets of [
      [b.url, split.url],
      [split.url, b.url],
    ]) {
      const answersOnly = await verify(configurationOf(a), { targets, seed: 22 + targets.indexOf(split.url) });
      expect(answersOnly.checks.find((check) => check.id === 'conflicting-reuse')).toMatchObject({
        status: 'failed',
        kind: 'conflict-accepted',
      });
    }
  });
});

describe('instances whose lookups answer different records for one code', () => {
  it('warn (instances-disagree): two coupons, or a lookup that adds something of its own', async () => {
    const [a, b] = fleet as [ServeInstance, ServeInstance];
    // b behind a proxy that adds its own name to every lookup answer: the same store, other records.
    const proxy = await startNamingProxy(b.url);
    try {
      const report = await verify(configurationOf(a), {
        targets: [proxy.url],
        lookup: lookupOf(a),
        only: ['accepted', 'concurrent-duplicates'],
        seed: 25,
      });
      const check = report.checks.find((c) => c.id === 'concurrent-duplicates')!;
      expect(check).toMatchObject({ status: 'warning', kind: 'instances-disagree' });
      expect(check.message).toContain(`Read back through ${a.url} and through ${proxy.url}`);
      expect(check.reproduction!.request.url.startsWith(`${proxy.url}/coupons/`)).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});

/** A proxy to `target` that adds `servedBy` to each JSON object a GET answers. */
async function startNamingProxy(target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => ['authorization', 'content-type'].includes(name)),
    ) as Record<string, string>;
    const body = req.method === 'GET' ? undefined : Buffer.concat(chunks);
    const answer = await fetch(`${target}${req.url}`, { method: req.method!, headers, ...(body ? { body } : {}) });
    let text = await answer.text();
    if (req.method === 'GET' && answer.status === 200)
      text = JSON.stringify({ ...JSON.parse(text), servedBy: 'proxy' });
    res
      .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
      .end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('targets that are not instance addresses', () => {
  it('exit 2 with one paragraph from the CLI, before anything is sent', async () => {
    const [a] = fleet as [ServeInstance];
    const withPath = await gbCoupon(['verify', '-c', configFile, '--target', `${a.url}/coupons`]);
    expect(withPath.code).toBe(2);
    expect(withPath.stderr).toContain('--target takes the address of one instance of the endpoint');
    expect(withPath.stderr.trim().split('\n')).toHaveLength(1);
    expect(withPath.stdout).toBe('');
    const noConfig = await gbCoupon(['load', '--target', 'http://127.0.0.1:9']);
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toContain('--target names more instances of the endpoint your --config points at');
  });

  it('throw UsageError from the library: not http(s), credentials, a query, fewer connections than instances', async () => {
    const configuration = configurationOf(fleet[0]!);
    for (const target of ['ftp://127.0.0.1:21', 'http://user:pw@127.0.0.1:3000', 'http://127.0.0.1:3000/?a=1', '']) {
      await expect(verify(configuration, { targets: [target] })).rejects.toThrow(UsageError);
      await expect(runLoadTest({ configuration, targets: [target], thresholdsFile: false })).rejects.toThrow(
        UsageError,
      );
    }
    await expect(
      runLoadTest({ configuration, targets: [fleet[1]!.url, fleet[2]!.url], connections: 2, thresholdsFile: false }),
    ).rejects.toThrow(/2 connection\(s\) for 3 instances/);
  });
});
