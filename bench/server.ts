// npm run bench:server: the reference server against a bare node:http server that answers a fixed
// JSON (the physical limit of this machine), side by side in one run. Each server runs in its own
// child process; autocannon loads them alternately from this process (50 connections, a fresh code
// per request) and the summary prints requests/s, p50/p99 and the ratio reference/bare.
//
// The reference server runs as shipped: durable writes (synchronous=normal by default: a 200 survives kill -9), idempotency,
// bearer auth, schema validation, and pino writing one JSON line per request to a file.
//
//   npm run bench:server -- [--duration 10] [--rounds 3] [--warmup 3] [--connections 50] [--synchronous full|normal]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { type AutocannonResult, freshDeliveries, loadAutocannon } from './autocannon.ts';
import { median } from './median.ts';
import { stopChild } from './processes.ts';

const self = fileURLToPath(import.meta.url);
const token = 'bench-token-0123456789';

const { values: args } = parseArgs({
  options: {
    child: { type: 'string' },
    dir: { type: 'string' },
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    synchronous: { type: 'string', default: 'normal' },
  },
});

if (args.child === 'bare') await runBare();
else if (args.child === 'reference') await runReference(args.dir!, args.synchronous as 'full' | 'normal');
else await runBenchmark();

// --- the two servers (child processes) ---

async function runBare(): Promise<void> {
  const answer = JSON.stringify({ couponCode: 'BARE' });
  const server = http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.listen(0, '127.0.0.1', () => announce(server));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

async function runReference(dir: string, synchronous: 'full' | 'normal'): Promise<void> {
  const { startServer, createLogger } = await import('../server/index.ts');
  const logger = createLogger({ destination: pino.destination({ dest: path.join(dir, 'requests.log'), sync: true }) });
  const running = await startServer({ port: 0, dbFile: path.join(dir, 'coupons.db'), token, synchronous, logger });
  process.stdout.write(`READY ${running.url}\n`);
  process.on('SIGTERM', () => {
    void running.close().then(() => {
      logger.flush();
      process.exit(0);
    });
  });
}

function announce(server: http.Server): void {
  const { port } = server.address() as { port: number };
  process.stdout.write(`READY http://127.0.0.1:${port}\n`);
}

// --- the runner ---

interface Sample {
  round: number;
  server: 'bare' | 'reference';
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  bad: number;
}

async function runBenchmark(): Promise<void> {
  // autocannon is CommonJS without types: loaded through require, typed by the interface below.
  const autocannon = loadAutocannon();
  const duration = Number(args.duration);
  const rounds = Number(args.rounds);
  const warmup = Number(args.warmup);
  const connections = Number(args.connections);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gb-bench-'));
  const children: ChildProcess[] = [];
  // One sequence of codes for both servers: each code is sent once in the whole run.
  const deliveries = freshDeliveries(token, 'B');
  const load = async (url: string, seconds: number): Promise<AutocannonResult> =>
    autocannon({
      url,
      connections,
      duration: seconds,
      requests: [deliveries],
    });

  try {
    const bare = await start(['--child', 'bare'], children);
    const reference = await start(['--child', 'reference', '--dir', dir, '--synchronous', args.synchronous!], children);
    console.log(
      `bench:server  ${connections} connections, ${rounds} rounds x ${duration} s per server, alternating, after ${warmup} s warm-up each\n` +
        `reference: synchronous=${args.synchronous}, auth + schema validation + idempotency on, pino info line per request to a file\n` +
        `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})\n`,
    );
    let referenceOk = 0;
    for (const url of [bare, reference]) {
      const result = await load(url, warmup);
      if (url === reference) referenceOk += result['2xx'];
    }
    const samples = await alternateRounds(rounds, (server) => load(server === 'bare' ? bare : reference, duration));
    for (const sample of samples) if (sample.server === 'reference') referenceOk += sample.ok;
    await stop(children);
    const rows = countRows(path.join(dir, 'coupons.db'));
    summarise(samples, rows, referenceOk, connections, path.join(dir, 'requests.log'));
  } finally {
    await stop(children);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `rounds` rounds of both servers, the order alternating, each result printed as it comes. */
async function alternateRounds(
  rounds: number,
  load: (server: Sample['server']) => Promise<AutocannonResult>,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  console.log('round  server      req/s    p50 ms  p99 ms   2xx      other');
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? (['bare', 'reference'] as const) : (['reference', 'bare'] as const);
    for (const server of order) {
      const result = await load(server);
      const sample: Sample = {
        round,
        server,
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        ok: result['2xx'],
        bad: result.non2xx + result.errors + result.timeouts,
      };
      samples.push(sample);
      console.log(
        `${String(round).padEnd(7)}${server.padEnd(11)}${fmt(sample.rps).padStart(7)}  ${String(sample.p50).padStart(6)}  ${String(sample.p99).padStart(6)}  ${String(sample.ok).padStart(7)}  ${String(sample.bad).padStart(6)}`,
      );
    }
  }
  return samples;
}

function summarise(samples: Sample[], rows: number, referenceOk: number, connections: number, logFile: string): void {
  const mean = (server: Sample['server'], pick: (s: Sample) => number): number => {
    const own = samples.filter((s) => s.server === server);
    return own.reduce((sum, s) => sum + pick(s), 0) / own.length;
  };
  const bareRps = mean('bare', (s) => s.rps);
  const referenceRps = mean('reference', (s) => s.rps);
  const ratio = referenceRps / bareRps;
  // Each round's own ratio (its two servers ran back to back): the median is robust to a burst of
  // other work on a shared machine landing on one server's turn.
  const perRound = [...new Set(samples.map((s) => s.round))].map((round) => {
    const of = (server: Sample['server']): number => samples.find((s) => s.round === round && s.server === server)!.rps;
    return of('reference') / of('bare');
  });
  const medianRatio = median(perRound);
  const worstP99 = Math.max(...samples.filter((s) => s.server === 'reference').map((s) => s.p99));
  const failures = samples.filter((s) => s.server === 'reference').reduce((sum, s) => sum + s.bad, 0);
  // autocannon stops a round with requests in flight: those are committed but not counted as 200.
  const stored = rows >= referenceOk && rows - referenceOk <= connections * (samples.length + 2);
  console.log(
    `\nbare       ${fmt(bareRps)} req/s (p50 ${mean('bare', (s) => s.p50).toFixed(1)} ms, p99 ${mean('bare', (s) => s.p99).toFixed(1)} ms)\n` +
      `reference  ${fmt(referenceRps)} req/s (p50 ${mean('reference', (s) => s.p50).toFixed(1)} ms, p99 ${mean('reference', (s) => s.p99).toFixed(1)} ms, worst p99 ${worstP99} ms)\n` +
      `ratio reference/bare ${ratio.toFixed(2)}  (target >= 0.40: ${ratio >= 0.4 ? 'met' : 'NOT met'}; p99 < 20 ms: ${worstP99 < 20 ? 'met' : 'NOT met'})\n` +
      `ratio per round ${perRound.map((r) => r.toFixed(2)).join(' ')}, median ${medianRatio.toFixed(2)}\n` +
      `stored rows ${rows} for ${referenceOk} answers 200 (${stored ? 'every 200 is stored; the rest were in flight when a round ended' : 'MISSING ROWS'}); ` +
      `reference non-2xx/errors ${failures}; request log ${(statSync(logFile).size / 1e6).toFixed(1)} MB`,
  );
  if (!stored || failures > 0) process.exitCode = 1;
}

// --- helpers ---

async function start(childArgs: string[], children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, ...childArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${childArgs.join(' ')} did not start within 20 s`)), 20_000);
    child.once('exit', (code) => reject(new Error(`${childArgs.join(' ')} exited with ${code} before it was ready`)));
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

function countRows(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM coupons').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
