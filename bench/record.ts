// npm run bench:record: what `gb-coupon record` costs. The reference server (SQLite, durable writes,
// as shipped, log level warn) runs once; autocannon loads it directly, through a TCP pipe (the
// floor: bytes copied between sockets, no HTTP, what no Node proxy can beat), through a bare
// node:http proxy (the yardstick: an HTTP proxy hop recording nothing), and through the recorder,
// alternately, same connections, a fresh code per request, in one run. Each
// sample also gives the CPU the process in front spent per request (from /proc: the steady figure
// when other work shares the machine):
//
//   1. throughput at saturation: the ratio recorded/direct (target >= 0.7);
//   2. the latency the recorder adds at p50 and p99, at a fixed rate all sustain (at saturation
//      latency is only queueing), beside what the bare proxy's hop alone adds;
//   3. resident memory of a fresh recorder over 200,000 recorded deliveries, sampled every second:
//      flat, because the cassette is streamed to disk (one fsync per group of records), never held.
//
//   npm run bench:record -- [--duration 10] [--rounds 3] [--warmup 3] [--connections 50] [--rate 1000] [--deliveries 200000]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
    rate: { type: 'string', default: '1000' },
    deliveries: { type: 'string', default: '200000' },
  },
});
const connections = Number(args.connections);
const dir = mkdtempSync(path.join(os.tmpdir(), 'gb-bench-record-'));
const children: ChildProcess[] = [];
const names = ['direct', 'tcp pipe', 'bare proxy', 'recorded'] as const;
type Name = (typeof names)[number];
let pids: Record<Name, number>;

interface Sample {
  round: number;
  name: Name;
  rps: number;
  p50: number;
  p99: number;
  bad: number;
  /** CPU µs per request of the process answering the URL (the proxy, or the server when direct). */
  cpuUs: number;
}

try {
  console.log(
    'bench:record  the reference server direct, behind a TCP pipe, behind a bare node:http proxy, and behind gb-coupon record\n' +
      `${connections} connections, ${args.rounds} rounds x ${args.duration} s each, alternating, after ${args.warmup} s warm-up each\n` +
      `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})\n`,
  );
  const reference = await startReference();
  const bare = await startBareProxy(reference.url);
  const pipe = await startTcpPipe(reference.url);
  const recorder = await startRecorder(reference.url, path.join(dir, 'throughput.jsonl'));
  const deliveries = freshDeliveries(token, 'R');
  const urls: Record<Name, string> = {
    direct: reference.url,
    'tcp pipe': pipe.url,
    'bare proxy': bare.url,
    recorded: recorder.url,
  };
  pids = { direct: reference.pid, 'tcp pipe': pipe.pid, 'bare proxy': bare.pid, recorded: recorder.child.pid! };
  summarise(await alternate(urls, deliveries));
  await addedLatency(urls, deliveries);
  await stopChild(recorder.child, 15_000);
  await memoryRun(reference.url, Number(args.deliveries), deliveries);
} finally {
  await Promise.all(children.map((child) => stopChild(child, 15_000)));
  rmSync(dir, { recursive: true, force: true });
}

async function alternate(urls: Record<Name, string>, deliveries: AutocannonRequest): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const name of names) await measure(name, urls[name], 0, Number(args.warmup), deliveries);
  console.log('round  target      req/s    p50 ms  p99 ms  non-2xx  CPU µs/req');
  for (let round = 1; round <= Number(args.rounds); round++) {
    const order = round % 2 === 1 ? names : [...names].reverse();
    for (const name of order) {
      const sample = await measure(name, urls[name], round, Number(args.duration), deliveries);
      samples.push(sample);
      console.log(
        `${String(round).padEnd(7)}${name.padEnd(11)}${fmt(sample.rps).padStart(7)}  ${String(sample.p50).padStart(6)}  ${String(sample.p99).padStart(6)}  ${String(sample.bad).padStart(7)}  ${sample.cpuUs.toFixed(0).padStart(10)}`,
      );
    }
  }
  return samples;
}

async function measure(
  name: Name,
  url: string,
  round: number,
  seconds: number,
  deliveries: AutocannonRequest,
  overallRate?: number,
): Promise<Sample> {
  const cpuBefore = cpuMs(pids[name]);
  const result = await loadAutocannon()({
    url,
    connections,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
    requests: [deliveries],
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  const cpuUs = ((cpuMs(pids[name]) - cpuBefore) * 1000) / Math.max(1, result.requests.average * seconds);
  return { round, name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad, cpuUs };
}

function summarise(samples: Sample[]): void {
  const of = (name: Name) => samples.filter((s) => s.name === name);
  const mean = (name: Name, pick: (s: Sample) => number): number =>
    of(name).reduce((sum, s) => sum + pick(s), 0) / of(name).length;
  for (const name of names) {
    const ratio = mean(name, (s) => s.rps) / mean('direct', (s) => s.rps);
    console.log(
      `${name.padEnd(11)} ${fmt(mean(name, (s) => s.rps))} req/s (${ratio.toFixed(2)}x direct), p50 ${mean(name, (s) => s.p50).toFixed(1)} ms, p99 ${mean(name, (s) => s.p99).toFixed(1)} ms, ${mean(name, (s) => s.cpuUs).toFixed(0)} µs CPU/req`,
    );
  }
  const ratio = mean('recorded', (s) => s.rps) / mean('direct', (s) => s.rps);
  const perRound = of('recorded').map((r) => r.rps / of('direct').find((d) => d.round === r.round)!.rps);
  console.log(
    `ratio recorded/direct ${ratio.toFixed(2)} (target >= 0.70: ${ratio >= 0.7 ? 'met' : 'NOT met'}); per round ${perRound.map((r) => r.toFixed(2)).join(' ')}, median ${median(perRound).toFixed(2)}\n`,
  );
  if (samples.some((s) => s.bad > 0)) process.exitCode = 1;
}

/** p50 and p99 at a fixed rate below saturation, direct, through the bare proxy and recorded, alternating twice. */
async function addedLatency(urls: Record<Name, string>, deliveries: AutocannonRequest): Promise<void> {
  const rate = Number(args.rate);
  const samples: Sample[] = [];
  for (let round = 1; round <= 2; round++) {
    const order = round % 2 === 1 ? names : [...names].reverse();
    for (const name of order) {
      samples.push(await measure(name, urls[name], round, Number(args.duration), deliveries, rate));
    }
  }
  const mean = (name: Name, pick: (s: Sample) => number): number =>
    samples.filter((s) => s.name === name).reduce((sum, s) => sum + pick(s), 0) / 2;
  // Signed: under a loaded machine the direct run's p99 can come out above the recorded one.
  const added = (name: Name, over: Name, pick: (s: Sample) => number): string => {
    const ms = mean(name, pick) - mean(over, pick);
    return `${ms >= 0 ? '+' : '-'}${Math.abs(ms).toFixed(1)}`;
  };
  const line = (name: Name) =>
    `${name} p50 ${mean(name, (s) => s.p50).toFixed(1)} ms, p99 ${mean(name, (s) => s.p99).toFixed(1)} ms`;
  const both = (name: Name, over: Name) =>
    `p50 ${added(name, over, (s) => s.p50)} ms, p99 ${added(name, over, (s) => s.p99)} ms`;
  console.log(
    `at ${fmt(rate)} req/s: ${names.map(line).join('; ')}\n` +
      `latency the recorder adds: ${both('recorded', 'direct')}; of it, the hop alone (bare proxy): ${both('bare proxy', 'direct')}\n`,
  );
}

/** A fresh recorder records `count` deliveries; its RSS is sampled every second. */
async function memoryRun(reference: string, count: number, deliveries: AutocannonRequest): Promise<void> {
  const cassette = path.join(dir, 'memory.jsonl');
  const recorder = await startRecorder(reference, cassette);
  const rss: number[] = [];
  const sample = (): void =>
    void rssMb(recorder.child.pid!).then(
      (mb) => rss.push(mb),
      () => undefined,
    );
  sample();
  const sampler = setInterval(sample, 1000);
  const began = performance.now();
  const autocannon = loadAutocannon();
  const result = await autocannon({
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
  for await (const line of cassetteLines(cassette)) {
    if (line.kind === 'record' && line.record.type === 'exchange') recorded++;
  }
  // V8's heap grows until a full collection and drops back (a saw-tooth): flat means the teeth of
  // the second half reach no higher than those of the first.
  const settled = rss.slice(Math.ceil(rss.length / 10));
  const half = Math.floor(settled.length / 2);
  const max = (values: number[]): string => Math.max(...values).toFixed(1);
  console.log(
    `memory: ${fmt(count)} deliveries through the recorder in ${seconds.toFixed(0)} s (${fmt(count / seconds)}/s, non-2xx ${result.non2xx + result.errors})\n` +
      `  recorder RSS (MB), once a second: ${rss.map((mb) => mb.toFixed(0)).join(' ')}\n` +
      `  after the first tenth: min ${Math.min(...settled).toFixed(1)}, max ${max(settled)}; highest in the first half ${max(settled.slice(0, half))}, in the second ${max(settled.slice(half))}\n` +
      `  cassette: ${fmt(recorded)} exchanges, ${(statSync(cassette).size / 1e6).toFixed(0)} MB, closed cleanly`,
  );
  if (recorded !== count) process.exitCode = 1;
}

async function startReference(): Promise<{ url: string; pid: number }> {
  const port = await freePort();
  const db = path.join(dir, 'coupons.db');
  const serve = ['serve', '--port', String(port), '--db', db, '--token', token, '--log-level', 'warn'];
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...serve], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await healthy(url, 20_000, 'the reference server');
  return { url, pid: child.pid! };
}

/** Polls GET /healthz until it answers 2xx; a bench's set-up, so polling is fine here. */
async function healthy(url: string, withinMs: number, what: string): Promise<void> {
  for (let waited = 0; waited < withinMs; waited += 50) {
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not come up in ${withinMs / 1000} s`);
}

/** The yardstick: a node:http proxy that forwards and records nothing. */
async function startBareProxy(target: string): Promise<{ url: string; pid: number }> {
  const port = await freePort();
  const { hostname, port: targetPort } = new URL(target);
  const source = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const headers = { ...req.headers, 'content-length': String(body.length) };
    http.request({ hostname: '${hostname}', port: ${targetPort}, path: req.url, method: req.method, headers, agent }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    }).end(body);
  });
}).listen(${port}, '127.0.0.1');`;
  return startScript(source, port, 'the bare proxy');
}

/** The floor: bytes piped between sockets, one upstream connection per client connection, no HTTP at all. */
async function startTcpPipe(target: string): Promise<{ url: string; pid: number }> {
  const port = await freePort();
  const { hostname, port: targetPort } = new URL(target);
  const source = `
const net = require('node:net');
net.createServer((client) => {
  const upstream = net.connect(${targetPort}, '${hostname}');
  client.pipe(upstream).pipe(client);
  const end = () => { client.destroy(); upstream.destroy(); };
  client.on('error', end); upstream.on('error', end); client.on('close', end); upstream.on('close', end);
}).listen(${port}, '127.0.0.1');`;
  return startScript(source, port, 'the TCP pipe');
}

/** Runs a yardstick's source in a node process of its own and waits until its port answers. */
async function startScript(source: string, port: number, what: string): Promise<{ url: string; pid: number }> {
  const child = spawn(process.execPath, ['-e', source], { stdio: 'inherit' });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await healthy(url, 10_000, what);
  return { url, pid: child.pid! };
}

async function startRecorder(forward: string, cassette: string): Promise<{ child: ChildProcess; url: string }> {
  const record = ['record', '--forward', forward, '--listen', '127.0.0.1:0', '--cassette', cassette, '--quiet'];
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...record], { stdio: ['ignore', 'pipe', 'inherit'] });
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

/** User and system CPU the process has used, in ms (Linux /proc; the clock ticks are 100 a second). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
