// npm run bench:mock: the Gameball stand-in (gb-coupon mock) side by side with the Prism CLI
// (`prism mock -v error openapi/gameball.yaml`) in one run, every server its own child process,
// loaded alternately by autocannon from this process:
//   ready     time from spawn to the first answered GET /configurations/redemption (median of 3)
//   static    GET /configurations/redemption: the stand-in's own answer and the Prism CLI's; ratio
//             stand-in / Prism CLI; beside them the stand-in's embedded Prism answering an operation
//             without state from its example (GET /configurations/tiers, `Prefer: example=default`)
//   redeem    POST /coupons/predefined round trips, each one a delivery to the reference server
//             (gb-coupon serve, SQLite) rendered by core's renderer; beside it, the reference
//             server's own POST /coupons rate (the merchant call alone)
//   mixed     the stateful loyalty loop (bench/mixed-workload.ts: events, orders, holds, redemptions
//             with and without a hold, coupon rules), in memory and with --state, in operations/s;
//             then every customer's ledger checked to add up
//
//   npm run bench:mock -- [--duration 5] [--rounds 2] [--warmup 2] [--connections 20]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultConfiguration } from '../core/config/default-configuration.ts';
import { type AutocannonResult, freshDeliveries, loadAutocannon } from './autocannon.ts';
import { median } from './median.ts';
import { ledgerProblems, mixedRequests } from './mixed-workload.ts';
import { freePort, stopChild } from './processes.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The CLI as installed (the script builds dist/ first).
const bin = path.join(root, 'dist/cli/main.js');
const prismBin = path.join(root, 'node_modules/.bin/prism');
const spec = path.join(root, 'openapi/gameball.yaml');
const keys = { apikey: 'bench_api_key', secretkey: 'bench_secret_key' };
const token = 'bench-token-0123456789';
const redemptionPath = '/api/v4.0/integrations/configurations/redemption';
const tiersPath = '/api/v4.0/integrations/configurations/tiers';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '20' },
  },
});
const duration = Number(args.duration);
const rounds = Number(args.rounds);
const warmup = Number(args.warmup);
const connections = Number(args.connections);

interface Subject {
  name: string;
  command: string;
  /** `state`: the stand-in's --state file, when it keeps one. */
  args: (port: number, state?: string) => string[];
  /** Answered once ready. */
  probe: { path: string; headers: Record<string, string> };
}

const standIn: Subject = {
  name: 'stand-in',
  command: process.execPath,
  args: (port, state) => [
    bin,
    'mock',
    '--port',
    String(port),
    '--log-level',
    'warn',
    '--api-key',
    keys.apikey,
    '--secret-key',
    keys.secretkey,
    '--starting-points',
    '1000000000',
    ...(state ? ['--state', state] : []),
  ],
  probe: { path: redemptionPath, headers: { apikey: keys.apikey } },
};
const standInWithState: Subject = {
  ...standIn,
  name: 'stand-in --state',
  args: (port, state) => standIn.args(port, state ?? path.join(dir, 'mixed-state.db')),
};
const prismCli: Subject = {
  name: 'prism CLI',
  command: prismBin,
  args: (port) => ['mock', '-v', 'error', '-h', '127.0.0.1', '-p', String(port), spec],
  probe: { path: redemptionPath, headers: { apikey: keys.apikey } },
};
const reference: Subject = {
  name: 'reference',
  command: process.execPath,
  args: (port) => [
    bin,
    'serve',
    '--port',
    String(port),
    '--db',
    path.join(dir, 'coupons.db'),
    '--token',
    token,
    '--log-level',
    'silent',
  ],
  probe: { path: '/healthz', headers: {} },
};

const autocannon = loadAutocannon();
const children: ChildProcess[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'gb-bench-mock-'));
try {
  await main();
} finally {
  await Promise.all(children.map(stop));
  rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  console.log(
    `bench:mock  ${connections} connections, ${rounds} rounds x ${duration} s per subject, alternating, after ${warmup} s warm-up\n` +
      `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os.loadavg()[0]!.toFixed(1)}\n`,
  );
  await benchReady();
  const mock = await start(standIn);
  const prism = await start(prismCli);
  const merchant = await start(reference);
  await benchStatic(mock.url, prism.url);
  await benchRedemption(mock.url, merchant.url);
  await stop(prism.child);
  await benchMixed([mock.url, (await start(standInWithState)).url], merchant.url);
}

/** Ready time: spawn to first answer, three times each, alternating; and the CLI's own floor. */
async function benchReady(): Promise<void> {
  const ready: Record<string, number[]> = { 'stand-in': [], 'prism CLI': [] };
  for (let i = 0; i < 3; i++) {
    for (const subject of i % 2 === 0 ? [standIn, prismCli] : [prismCli, standIn]) {
      const started = await start(subject);
      ready[subject.name]!.push(started.readyMs);
      await stop(started.child);
    }
  }
  // The floor under any gb-coupon command: Node plus tsx starting and printing the version.
  const floor: number[] = [];
  for (let i = 0; i < 3; i++) floor.push(await timeToExit(process.execPath, [bin, '--version']));
  console.log(
    `ready      gb-coupon --version (the CLI's floor) ${median(floor)} ms (runs ${floor.join(', ')})\n` +
      `           stand-in ${median(ready['stand-in']!)} ms (runs ${ready['stand-in']!.join(', ')}), ` +
      `prism CLI ${median(ready['prism CLI']!)} ms (runs ${ready['prism CLI']!.join(', ')})  target < 2000 ms for the stand-in: ${median(ready['stand-in']!) < 2000 ? 'met' : 'NOT met'}\n`,
  );
}

/** The static operation: the stand-in's own answer, its embedded Prism, and the Prism CLI. */
async function benchStatic(mockUrl: string, prismUrl: string): Promise<void> {
  const staticRates = await alternate({
    'stand-in': (seconds: number) => get(mockUrl, redemptionPath, {}, seconds),
    'stand-in, embedded Prism (an example)': (seconds: number) =>
      get(mockUrl, tiersPath, { prefer: 'example=default' }, seconds),
    'prism CLI': (seconds: number) => get(prismUrl, redemptionPath, {}, seconds),
  });
  const ratio = mean(staticRates['stand-in']!) / mean(staticRates['prism CLI']!);
  console.log(
    `static ratio stand-in / prism CLI ${ratio.toFixed(2)}  (target >= 1.5: ${ratio >= 1.5 ? 'met' : 'NOT met'})\n`,
  );
}

/** Redemption round trips with the merchant call, beside the merchant call alone. */
async function benchRedemption(mockUrl: string, merchantUrl: string): Promise<void> {
  await configure(mockUrl, merchantUrl);
  const deliveries = freshDeliveries(token, 'M');
  const redeemRates = await alternate({
    'redemption round trip (stand-in -> reference)': (seconds: number) =>
      autocannon({
        url: mockUrl,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/api/v4.0/integrations/coupons/predefined',
            headers: { ...keys, 'content-type': 'application/json' },
            body: JSON.stringify({ customerId: 'CUS_BENCH', ruleId: 1021 }),
          },
        ],
      }),
    'merchant call alone (POST /coupons)': (seconds: number) =>
      autocannon({ url: merchantUrl, connections, duration: seconds, requests: [deliveries] }),
  });
  const roundTrip = mean(redeemRates['redemption round trip (stand-in -> reference)']!);
  console.log(
    `redemption round trip ${Math.round(roundTrip)} req/s  (target >= 1000: ${roundTrip >= 1000 ? 'met' : 'NOT met'}); ` +
      `ratio to the merchant call alone ${(roundTrip / mean(redeemRates['merchant call alone (POST /coupons)']!)).toFixed(2)}`,
  );
}

/** The stateful mixed workload, in memory and with a state file; then the ledgers checked. */
async function benchMixed(mockUrls: string[], merchantUrl: string): Promise<void> {
  const loads: Record<string, Load> = {};
  for (const [i, url] of mockUrls.entries()) {
    await configure(url, merchantUrl);
    const requests = mixedRequests(keys);
    loads[`mixed workload, ${i === 0 ? 'memory' : '--state'}`] = (seconds) =>
      autocannon({ url, connections, duration: seconds, requests });
  }
  const rates = await alternate(loads);
  for (const [i, url] of mockUrls.entries()) {
    const name = `mixed workload, ${i === 0 ? 'memory' : '--state'}`;
    const rate = mean(rates[name]!);
    const { entries, problems } = await ledgerProblems(url);
    if (problems.length > 0) process.exitCode = 1;
    console.log(
      `${name}: ${Math.round(rate)} operations/s  (target >= 2000: ${rate >= 2000 ? 'met' : 'NOT met'}); ` +
        `ledgers of 100 customers, ${entries} entries: ${problems.length === 0 ? 'consistent' : `NOT consistent: ${problems.slice(0, 3).join('; ')}`}`,
    );
  }
}

/** The stand-in's coupon configuration: the reference server's POST /coupons. */
async function configure(mockUrl: string, merchantUrl: string): Promise<void> {
  const put = await fetch(`${mockUrl}/api/v4.0/integrations/configurations/coupon`, {
    method: 'PUT',
    headers: { ...keys, 'content-type': 'application/json' },
    body: JSON.stringify(defaultConfiguration(`${merchantUrl}/coupons`, token)),
  });
  if (put.status !== 200) throw new Error(`PUT /configurations/coupon answered ${put.status}`);
}

type Load = (seconds: number) => Promise<AutocannonResult>;

/** Each load warmed up, then run `rounds` times, alternating the order; the rates by name. */
async function alternate(loads: Record<string, Load>): Promise<Record<string, number[]>> {
  const names = Object.keys(loads);
  for (const name of names) await loads[name]!(warmup);
  const rates: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  console.log(`${'subject'.padEnd(46)}round  req/s    p50 ms  p99 ms  2xx      other`);
  for (let round = 1; round <= rounds; round++) {
    for (const name of round % 2 === 1 ? names : [...names].reverse()) {
      const result = await loads[name]!(duration);
      const bad = result.non2xx + result.errors + result.timeouts;
      rates[name]!.push(result.requests.average);
      console.log(
        `${name.padEnd(46)}${String(round).padEnd(7)}${String(Math.round(result.requests.average)).padStart(6)}  ${String(result.latency.p50).padStart(7)}  ${String(result.latency.p99).padStart(6)}  ${String(result['2xx']).padStart(7)}  ${String(bad).padStart(6)}`,
      );
      if (bad > 0) process.exitCode = 1;
    }
  }
  console.log('');
  return rates;
}

function get(url: string, route: string, headers: Record<string, string>, seconds: number): Promise<AutocannonResult> {
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ method: 'GET', path: route, headers: { apikey: keys.apikey, ...headers } }],
  });
}

// --- helpers ---

interface Started {
  child: ChildProcess;
  url: string;
  readyMs: number;
}

async function start(subject: Subject): Promise<Started> {
  const port = await freePort();
  const began = performance.now();
  const child = spawn(subject.command, subject.args(port), { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${subject.name} exited with ${child.exitCode} before it answered`);
    try {
      const response = await fetch(`${url}${subject.probe.path}`, { headers: subject.probe.headers });
      if (response.status === 200) {
        await response.arrayBuffer();
        return { child, url, readyMs: Math.round(performance.now() - began) };
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${subject.name} did not answer within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function timeToExit(command: string, commandArgs: string[]): Promise<number> {
  const began = performance.now();
  return new Promise((resolve) => {
    spawn(command, commandArgs, { stdio: 'ignore' }).once('exit', () => resolve(Math.round(performance.now() - began)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return stopChild(child, 10_000);
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
