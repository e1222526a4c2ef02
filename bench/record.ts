// npm run bench:record: what `gb-coupon record` costs. The reference server (SQLite, durable writes,
// as shipped) runs once; autocannon loads it directly and through the recorder in front of it,
// alternately, same connections, a fresh code per request, in one run: the ratio of throughputs
// (target >= 0.7) and the latency the recorder adds at p50 and p99. Then a fresh recorder records
// 200,000 deliveries while its resident memory is sampled once a second: it stays flat, because
// the cassette is streamed to disk (one fsync per group of records), never held.
//
//   npm run bench:record -- [--duration 10] [--rounds 3] [--warmup 3] [--connections 50] [--deliveries 200000]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cassetteLines } from '../core/cassette/cassette-reader.ts';
import { type AutocannonRequest, freshDeliveries, loadAutocannon } from './autocannon.ts';
import { median } from './median.ts';
import { freePort, stopChild } from './processes.ts';

const token = 'bench-token-0123456789';
const cli = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    deliveries: { type: 'string', default: '200000' },
  },
});
const connections = Number(args.connections);
const dir = mkdtempSync(path.join(os.tmpdir(), 'gb-bench-record-'));
const children: ChildProcess[] = [];

interface Sample {
  round: number;
  name: 'direct' | 'recorded';
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

try {
  console.log(
    `bench:record  the reference server direct against behind gb-coupon record\n` +
      `${connections} connections, ${args.rounds} rounds x ${args.duration} s each, alternating, after ${args.warmup} s warm-up each\n` +
      `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})\n`,
  );
  const reference = await startReference();
  const recorder = await startRecorder(reference, path.join(dir, 'throughput.jsonl'));
  const deliveries = freshDeliveries(token, 'R');
  const samples = await alternate({ direct: reference, recorded: recorder.url }, deliveries);
  summarise(samples);
  await stopChild(recorder.child, 15_000);
  await memoryRun(reference, Number(args.deliveries), deliveries);
} finally {
  await Promise.all(children.map((child) => stopChild(child, 15_000)));
  rmSync(dir, { recursive: true, force: true });
}

async function alternate(urls: Record<Sample['name'], string>, deliveries: AutocannonRequest): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const name of ['direct', 'recorded'] as const)
    await measure(name, urls[name], 0, Number(args.warmup), deliveries);
  console.log('round  target     req/s    p50 ms  p99 ms  non-2xx');
  for (let round = 1; round <= Number(args.rounds); round++) {
    const order = round % 2 === 1 ? (['direct', 'recorded'] as const) : (['recorded', 'direct'] as const);
    for (const name of order) {
      const sample = await measure(name, urls[name], round, Number(args.duration), deliveries);
      samples.push(sample);
      console.log(
        `${String(round).padEnd(7)}${name.padEnd(9)}${fmt(sample.rps).padStart(7)}  ${String(sample.p50).padStart(6)}  ${String(sample.p99).padStart(6)}  ${String(sample.bad).padStart(7)}`,
      );
    }
  }
  return samples;
}

async function measure(
  name: Sample['name'],
  url: string,
  round: number,
  seconds: number,
  deliveries: AutocannonRequest,
): Promise<Sample> {
  const result = await loadAutocannon()({ url, connections, duration: seconds, requests: [deliveries] });
  const bad = result.non2xx + result.errors + result.timeouts;
  return { round, name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad };
}

function summarise(samples: Sample[]): void {
  const of = (name: Sample['name']) => samples.filter((s) => s.name === name);
  const mean = (name: Sample['name'], pick: (s: Sample) => number): number =>
    of(name).reduce((sum, s) => sum + pick(s), 0) / of(name).length;
  for (const name of ['direct', 'recorded'] as const) {
    console.log(
      `${name.padEnd(9)} ${fmt(mean(name, (s) => s.rps))} req/s, p50 ${mean(name, (s) => s.p50).toFixed(1)} ms, p99 ${mean(name, (s) => s.p99).toFixed(1)} ms`,
    );
  }
  const ratio = mean('recorded', (s) => s.rps) / mean('direct', (s) => s.rps);
  const perRound = of('recorded').map((r) => r.rps / of('direct').find((d) => d.round === r.round)!.rps);
  console.log(
    `ratio recorded/direct ${ratio.toFixed(2)} (target >= 0.70: ${ratio >= 0.7 ? 'met' : 'NOT met'}); per round ${perRound.map((r) => r.toFixed(2)).join(' ')}, median ${median(perRound).toFixed(2)}\n` +
      `added latency: p50 +${(mean('recorded', (s) => s.p50) - mean('direct', (s) => s.p50)).toFixed(1)} ms, p99 +${(mean('recorded', (s) => s.p99) - mean('direct', (s) => s.p99)).toFixed(1)} ms` +
      ` (at saturation: mostly queueing behind the recorder's share of the 2 CPUs)\n`,
  );
  if (samples.some((s) => s.bad > 0)) process.exitCode = 1;
}

/** A fresh recorder records `count` deliveries; its RSS is sampled every second. */
async function memoryRun(reference: string, count: number, deliveries: AutocannonRequest): Promise<void> {
  const cassette = path.join(dir, 'memory.jsonl');
  const recorder = await startRecorder(reference, cassette);
  const rss: number[] = [];
  const sampler = setInterval(
    () =>
      void rssMb(recorder.child.pid!).then(
        (mb) => rss.push(mb),
        () => undefined,
      ),
    1000,
  );
  const began = performance.now();
  const result = await loadAutocannon()({
    url: recorder.url,
    connections,
    duration: 0,
    amount: count,
    requests: [deliveries],
  });
  clearInterval(sampler);
  const seconds = (performance.now() - began) / 1000;
  await stopChild(recorder.child, 30_000);
  let recorded = 0;
  for await (const line of cassetteLines(cassette))
    if (line.kind === 'record' && line.record.type === 'exchange') recorded++;
  const at = (share: number): string => rss[Math.min(rss.length - 1, Math.floor(share * (rss.length - 1)))]!.toFixed(1);
  const after = rss.slice(Math.floor(rss.length / 10));
  console.log(
    `memory: ${fmt(count)} deliveries through the recorder in ${seconds.toFixed(0)} s (${fmt(count / seconds)}/s, non-2xx ${result.non2xx + result.errors})\n` +
      `  recorder RSS (MB) at 0% ${at(0)}, 25% ${at(0.25)}, 50% ${at(0.5)}, 75% ${at(0.75)}, 100% ${at(1)}; ` +
      `after the first tenth min ${Math.min(...after).toFixed(1)}, max ${Math.max(...after).toFixed(1)}\n` +
      `  cassette: ${fmt(recorded)} exchanges, ${(statSync(cassette).size / 1e6).toFixed(0)} MB, closed cleanly`,
  );
}

async function startReference(): Promise<string> {
  const port = await freePort();
  const db = path.join(dir, 'coupons.db');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'serve', '--port', String(port), '--db', db, '--token', token, '--log-level', 'warn'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 400; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return url;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the reference server did not come up in 20 s');
}

async function startRecorder(forward: string, cassette: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      cli,
      'record',
      '--forward',
      forward,
      '--listen',
      '127.0.0.1:0',
      '--cassette',
      cassette,
      '--quiet',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`the recorder exited with ${code}: ${output}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\S+),/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    });
  });
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
