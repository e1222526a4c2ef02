// npm run bench:verify: how long `verify` takes against a local endpoint, side by side with a
// baseline in the same run. The baseline is a bare node:http endpoint that answers every request
// with 200 {"couponCode": <code>} at once: the harness's own cost for the same request pattern.
// The reference server is the embedded default (SQLite, durable writes, auth, validation).
// Runs alternate to share the machine's noise; the median of each is reported, then the ratio,
// then the whole CLI as installed (`node dist/cli/main.js verify`, the package's bin, start-up
// included; the script builds first), which the 2 s target is about.
//
//   npm run bench:verify -- [--runs 10] [--cli-runs 3]
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { startEmbeddedTarget } from '../cli/embedded-target.ts';
import { defaultConfiguration } from '../core/config/default-configuration.ts';
import { checkIds, verify } from '../harness/run/verify.ts';
import { median } from './median.ts';

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, 'cli-runs': { type: 'string', default: '3' } },
});
const runs = Number(args.runs);
const cliRuns = Number(args['cli-runs']);

async function startBare(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let code = 'BARE';
      try {
        code = (JSON.parse(Buffer.concat(chunks).toString()) as { code: string }).code;
      } catch {
        // malformed on purpose: answer anyway
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ couponCode: code }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/coupons`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const bare = await startBare();
const reference = await startEmbeddedTarget();
const bareConfig = defaultConfiguration(bare.url, 'bench-token');
const times = { bare: [] as number[], reference: [] as number[] };
const requests = { bare: 0, reference: 0 };

// One warm-up run each: compiles validators, opens connections.
await verify(bareConfig, { seed: 1 });
await verify(reference.configuration, { seed: 1 });

for (let i = 0; i < runs; i++) {
  for (const which of ['bare', 'reference'] as const) {
    const config = which === 'bare' ? bareConfig : reference.configuration;
    const started = performance.now();
    const report = await verify(config, { seed: 100 + i });
    times[which].push(performance.now() - started);
    requests[which] = report.latency.samples;
    if (which === 'reference' && report.summary.failed > 0) {
      throw new Error(
        `the reference server failed a check: ${JSON.stringify(report.checks.filter((c) => c.status === 'failed'))}`,
      );
    }
  }
}
await reference.close();
await bare.close();

const cli: number[] = [];
for (let i = 0; i < cliRuns; i++) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['dist/cli/main.js', 'verify', '--no-color'], { encoding: 'utf8' });
  cli.push(performance.now() - started);
  if (result.status !== 0)
    throw new Error(`gb-coupon verify exited ${result.status}:\n${result.stdout}${result.stderr}`);
}

const ms = (x: number): string => `${x.toFixed(0)} ms`;
console.log(`verify(), all ${checkIds().length} checks, median of ${runs} runs each (alternating):`);
console.log(`  bare endpoint (baseline)   ${ms(median(times.bare)).padStart(8)}   ${requests.bare} requests`);
console.log(`  reference server           ${ms(median(times.reference)).padStart(8)}   ${requests.reference} requests`);
console.log(`  ratio reference/bare       ${(median(times.reference) / median(times.bare)).toFixed(2)}`);
console.log(
  `gb-coupon verify (whole CLI: start-up, embedded server, all checks), median of ${cliRuns}: ${ms(median(cli))} (target < 2000 ms)`,
);
