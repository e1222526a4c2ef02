// npm run bench:server: the reference server against a yardstick, side by side in one run. Each
// server runs in its own child process; autocannon loads them alternately from this process (50
// connections, a fresh code per request) and the summary prints requests/s, p50/p99 and the ratio.
//
//   default        the reference server (SQLite) against a bare node:http server that answers a fixed
//                  JSON (the physical limit of this machine); target >= 0.40.
//   --db postgres  the reference server on PostgreSQL against the same server on SQLite, one
//                  instance each, same load; target >= 0.5x SQLite's throughput. Then one instance
//                  against two on the same database (the connections split between them). The bench
//                  starts its own throw-away PostgreSQL cluster (fsync on, PostgreSQL's defaults).
//
// The reference server runs as shipped: durable writes (SQLite synchronous=normal by default: a 200
// survives kill -9; PostgreSQL commits before answering), idempotency, bearer auth, schema
// validation, and pino writing one JSON line per request to a file.
//
//   npm run bench:server -- [--db sqlite|postgres] [--duration 10] [--rounds 3] [--warmup 3] [--connections 50] [--synchronous full|normal]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { countRows } from '../test/server/helpers.ts';
import { type PostgresCluster, startPostgres } from '../test/support/postgres.ts';
import { type AutocannonRequest, freshDeliveries, loadAutocannon } from './autocannon.ts';
import { median } from './median.ts';
import { stopChild } from './processes.ts';

const self = fileURLToPath(import.meta.url);
const token = 'bench-token-0123456789';

const { values: args } = parseArgs({
  options: {
    child: { type: 'string' },
    store: { type: 'string' },
    log: { type: 'string' },
    db: { type: 'string', default: 'sqlite' },
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    synchronous: { type: 'string', default: 'normal' },
  },
});

if (args.child === 'bare') await runBare();
else if (args.child === 'reference') await runReference(args.store!, args.log!, args.synchronous as 'full' | 'normal');
else if (args.db === 'postgres') await runPostgresBenchmark();
else if (args.db === 'sqlite') await runBareBenchmark();
else throw new Error(`--db takes sqlite or postgres; got ${args.db}`);

// --- the servers (child processes) ---

async function runBare(): Promise<void> {
  const answer = JSON.stringify({ couponCode: 'BARE' });
  const server = http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`READY http://127.0.0.1:${port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/** The reference server on `db` (a SQLite file or a PostgreSQL URL), logging each request to `log`. */
async function runReference(db: string, log: string, synchronous: 'full' | 'normal'): Promise<void> {
  const { startServer, createLogger } = await import('../server/index.ts');
  const logger = createLogger({ destination: pino.destination({ dest: log, sync: true }) });
  const running = await startServer({ port: 0, db, token, synchronous, logger });
  process.stdout.write(`READY ${running.url}\n`);
  process.on('SIGTERM', () => {
    void running.close().then(() => {
      logger.flush();
      process.exit(0);
    });
  });
}

// --- the runs ---

interface Settings {
  duration: number;
  rounds: number;
  warmup: number;
  connections: number;
  deliveries: AutocannonRequest;
}

/** One or more servers loaded together (the connections split between them). */
interface Contestant {
  name: string;
  urls: string[];
}

interface Sample {
  round: number;
  name: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  bad: number;
}

function settings(): Settings {
  return {
    duration: Number(args.duration),
    rounds: Number(args.rounds),
    warmup: Number(args.warmup),
    connections: Number(args.connections),
    // One sequence of codes for every server: each code is sent once in the whole run.
    deliveries: freshDeliveries(token, 'B'),
  };
}

function header(what: string, run: Settings): void {
  console.log(
    `bench:server  ${what}\n` +
      `${run.connections} connections, ${run.rounds} rounds x ${run.duration} s per server, alternating, after ${run.warmup} s warm-up each\n` +
      `reference: auth + schema validation + idempotency on, pino info line per request to a file\n` +
      `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})\n`,
  );
}

async function runBareBenchmark(): Promise<void> {
  const run = settings();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gb-bench-'));
  const children: ChildProcess[] = [];
  try {
    const bare = await start(['--child', 'bare'], children);
    const reference = await startReference(path.join(dir, 'coupons.db'), dir, 'sqlite', children);
    header(`reference (SQLite, synchronous=${args.synchronous}) against bare node:http`, run);
    const samples = await compare({ name: 'bare', urls: [bare] }, { name: 'reference', urls: [reference] }, run);
    await stop(children);
    const ratio = summarise(samples, 'bare', 'reference', 0.4);
    const worstP99 = Math.max(...of(samples, 'reference').map((s) => (s.round > 0 ? s.p99 : 0)));
    console.log(`p99 < 20 ms: ${worstP99 < 20 ? 'met' : 'NOT met'} (worst ${worstP99} ms); ratio ${ratio.toFixed(2)}`);
    await checkStored(path.join(dir, 'coupons.db'), of(samples, 'reference'), run);
    console.log(`request log ${(statSync(path.join(dir, 'sqlite.log')).size / 1e6).toFixed(1)} MB`);
  } finally {
    await stop(children);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runPostgresBenchmark(): Promise<void> {
  const run = settings();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gb-bench-'));
  const children: ChildProcess[] = [];
  let cluster: PostgresCluster | undefined;
  try {
    cluster = await startPostgres({ fsync: true });
    const database = await cluster.createDatabase('bench_coupons');
    const sqliteFile = path.join(dir, 'coupons.db');
    const sqlite = await startReference(sqliteFile, dir, 'sqlite', children);
    const first = await startReference(database, dir, 'postgres-1', children);
    header(`reference on PostgreSQL against reference on SQLite (synchronous=${args.synchronous})`, run);
    const stores = await compare({ name: 'sqlite', urls: [sqlite] }, { name: 'postgres', urls: [first] }, run);
    summarise(stores, 'sqlite', 'postgres', 0.5);
    const second = await startReference(database, dir, 'postgres-2', children);
    console.log('\none PostgreSQL instance against two on the same database (connections split between the two)\n');
    const fleet = await compare({ name: 'pg x1', urls: [first] }, { name: 'pg x2', urls: [first, second] }, run);
    summarise(fleet, 'pg x1', 'pg x2');
    await stop(children);
    await checkStored(sqliteFile, of(stores, 'sqlite'), run);
    await checkStored(database, [...of(stores, 'postgres'), ...fleet], run);
  } finally {
    await stop(children);
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Warm-up, then rounds that alternate which contestant goes first. Samples include the warm-ups (round 0). */
async function compare(a: Contestant, b: Contestant, run: Settings): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const contestant of [a, b]) samples.push(await measure(contestant, 0, run.warmup, run));
  console.log('round  server      req/s    p50 ms  p99 ms   2xx      other');
  for (let round = 1; round <= run.rounds; round++) {
    for (const contestant of round % 2 === 1 ? [a, b] : [b, a]) {
      const sample = await measure(contestant, round, run.duration, run);
      samples.push(sample);
      console.log(
        `${String(round).padEnd(7)}${sample.name.padEnd(11)}${fmt(sample.rps).padStart(7)}  ${String(sample.p50).padStart(6)}  ${String(sample.p99).padStart(6)}  ${String(sample.ok).padStart(7)}  ${String(sample.bad).padStart(6)}`,
      );
    }
  }
  return samples;
}

/** One run of `seconds` against every URL of the contestant at once; p50/p99 are the worst of its servers. */
async function measure(contestant: Contestant, round: number, seconds: number, run: Settings): Promise<Sample> {
  const autocannon = loadAutocannon();
  const connections = Math.ceil(run.connections / contestant.urls.length);
  const results = await Promise.all(
    contestant.urls.map((url) => autocannon({ url, connections, duration: seconds, requests: [run.deliveries] })),
  );
  const sum = (pick: (r: (typeof results)[number]) => number): number => results.reduce((t, r) => t + pick(r), 0);
  return {
    round,
    name: contestant.name,
    rps: sum((r) => r.requests.average),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    ok: sum((r) => r['2xx']),
    bad: sum((r) => r.non2xx + r.errors + r.timeouts),
  };
}

function of(samples: Sample[], name: string): Sample[] {
  return samples.filter((s) => s.name === name);
}

/** Prints the means, the ratio b/a (overall and the median of the rounds) against a target; returns the ratio. */
function summarise(samples: Sample[], a: string, b: string, target?: number): number {
  const measured = samples.filter((s) => s.round > 0);
  const mean = (name: string, pick: (s: Sample) => number): number =>
    of(measured, name).reduce((sum, s) => sum + pick(s), 0) / of(measured, name).length;
  for (const name of [a, b]) {
    const worst = Math.max(...of(measured, name).map((s) => s.p99));
    console.log(
      `${name.padEnd(10)} ${fmt(mean(name, (s) => s.rps))} req/s (p50 ${mean(name, (s) => s.p50).toFixed(1)} ms, p99 ${mean(name, (s) => s.p99).toFixed(1)} ms, worst p99 ${worst} ms)`,
    );
  }
  const ratio = mean(b, (s) => s.rps) / mean(a, (s) => s.rps);
  // Each round's own ratio (its two runs were back to back): the median is robust to a burst of
  // other work on a shared machine landing on one contestant's turn.
  const perRound = [...new Set(measured.map((s) => s.round))].map((round) => {
    const rps = (name: string): number => measured.find((s) => s.round === round && s.name === name)!.rps;
    return rps(b) / rps(a);
  });
  const verdict =
    target === undefined ? '' : `  (target >= ${target.toFixed(2)}: ${ratio >= target ? 'met' : 'NOT met'})`;
  console.log(
    `ratio ${b}/${a} ${ratio.toFixed(2)}${verdict}\n` +
      `ratio per round ${perRound.map((r) => r.toFixed(2)).join(' ')}, median ${median(perRound).toFixed(2)}`,
  );
  return ratio;
}

/** Every 200 is a row; the few more rows are requests that were in flight when a round ended. */
async function checkStored(db: string, samples: Sample[], run: Settings): Promise<void> {
  const rows = await countRows(db);
  const ok = samples.reduce((sum, s) => sum + s.ok, 0);
  const failures = samples.reduce((sum, s) => sum + s.bad, 0);
  const stored = rows >= ok && rows - ok <= run.connections * (samples.length + 2);
  const where = db.startsWith('postgres') ? 'PostgreSQL' : 'SQLite';
  console.log(
    `${where}: stored rows ${rows} for ${ok} answers 200 (${stored ? 'every 200 is stored; the rest were in flight when a round ended' : 'MISSING ROWS'}); non-2xx/errors ${failures}`,
  );
  if (!stored || failures > 0) process.exitCode = 1;
}

// --- helpers ---

function startReference(db: string, dir: string, name: string, children: ChildProcess[]): Promise<string> {
  const log = path.join(dir, `${name}.log`);
  return start(['--child', 'reference', '--store', db, '--log', log, '--synchronous', args.synchronous!], children);
}

async function start(childArgs: string[], children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, ...childArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${childArgs[1]} did not start within 20 s`)), 20_000);
    child.once('exit', (code) => reject(new Error(`${childArgs[1]} exited with ${code} before it was ready`)));
    lines.on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      resolve(line.slice('READY '.length));
    });
  });
}

async function stop(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.splice(0).map((child) => stopChild(child, 15_000)));
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
