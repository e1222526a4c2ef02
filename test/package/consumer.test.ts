// The kit as a merchant gets it: `npm pack` (which builds dist/ through `prepare`), the tarball
// installed into a fresh strict NodeNext TypeScript project with --omit=optional (no native build),
// and the README's examples, copied out of README.md, type-checked with zero errors and run; so are
// two scripts of the stand-in entry (/mock) and the load entry (/load), written here.
// The consumer's own tools (typescript, vitest, @types/node) and, for the server part only,
// better-sqlite3 are linked from this repository's node_modules: installing them again would test
// npm, not the kit, and compiling SQLite costs minutes.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../server/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** The fenced code block of README.md that contains `marker`, without its fences. */
function readmeBlock(marker: string): string {
  const block = [...readme.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!).find((b) => b.includes(marker));
  if (!block) throw new Error(`README.md has no code block containing ${marker}`);
  return block;
}

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end without blocking this process (the endpoint under test lives here). */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

const shown = (result: Result): string => `exit ${result.status}\n${result.stdout}\n${result.stderr}`.slice(0, 8000);

/** Links a package from this repository's node_modules into the consumer's, unless the install brought it. */
function linkFromKit(consumer: string, name: string): void {
  const target = path.join(consumer, 'node_modules', name);
  if (existsSync(target)) return;
  mkdirSync(path.dirname(target), { recursive: true });
  symlinkSync(path.join(root, 'node_modules', name), target, 'dir');
}

/** A partner's test of their Gameball client: the stand-in started, asked once, stopped. */
const standInExample = `// try-the-stand-in.ts
import { type RunningMock, startMock } from 'gameball-coupon-kit/mock';

const mock: RunningMock = await startMock({ apiKey: 'gb-api-key', logLevel: 'silent', preloadPrism: false });
try {
  const answer = await fetch(\`\${mock.url}/api/v4.0/integrations/configurations/redemption\`, {
    headers: { APIKey: 'gb-api-key' },
  });
  const body = (await answer.json()) as { redemptionRules: unknown[] };
  console.log(answer.status, body.redemptionRules.length > 0 ? 'rules' : 'no rules');
} finally {
  await mock.stop();
}
`;

/** A bounded load test (20 requests) of the endpoint the configuration file names, or COUPON_URL. */
const loadExample = `// load-the-endpoint.ts
import { readFileSync } from 'node:fs';
import { formatLoadSummary, type LoadReport, runLoadTest } from 'gameball-coupon-kit/load';

const config = JSON.parse(readFileSync('gameball-coupon.json', 'utf8')) as { url: string };
const report: LoadReport = await runLoadTest({
  configuration: { ...config, url: process.env.COUPON_URL ?? config.url },
  load: { rate: 100, durationMs: 200 },
  connections: 10,
  thresholdsFile: false,
  thresholds: { checks: ['rate>0.999'], http_req_failed: ['rate<0.001'] },
  reconcile: true,
  seed: 7,
});
console.error(formatLoadSummary(report, { color: false }));
console.log(JSON.stringify({ requests: report.requests, passed: report.passed, stored: report.reconcile?.stored }));
`;

const token = 's3cr3t-staging-token';
let work: string;
let consumer: string;
let packed: { files: { path: string }[] };
let server: RunningServer;
let typeCheck: Result;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'gb-consumer-'));
  consumer = path.join(work, 'consumer');
  mkdirSync(consumer);

  const pack = await run('npm', ['pack', '--json', '--pack-destination', work], root);
  if (pack.status !== 0) throw new Error(`npm pack failed: ${shown(pack)}`);
  // npm prints the prepare script's output before the JSON.
  const [manifest] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as [
    { filename: string; files: { path: string }[] },
  ];
  packed = manifest;

  writeFileSync(
    path.join(consumer, 'package.json'),
    JSON.stringify({ name: 'merchant-shop', private: true, type: 'module' }, null, 2),
  );
  const install = await run(
    'npm',
    ['install', '--omit=optional', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, manifest.filename)],
    consumer,
  );
  if (install.status !== 0) throw new Error(`npm install of the tarball failed: ${shown(install)}`);
  for (const tool of ['typescript', 'vitest', '@types/node']) linkFromKit(consumer, tool);

  writeFileSync(
    path.join(consumer, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          resolveJsonModule: true,
          skipLibCheck: false,
          types: ['node'],
          outDir: 'out',
        },
        include: ['*.ts'],
      },
      null,
      2,
    ),
  );
  writeFileSync(path.join(consumer, 'gameball-coupon.json'), readmeBlock('"couponMapping"'));
  // The README's latency budget would make this a timed assertion on a shared machine; timing is the
  // benches' business. Only the number changes, so what is type-checked and run is still the README's.
  const endpointTest = readmeBlock('coupon-endpoint.test.ts');
  expect(endpointTest.match(/latencyBudgetMs: [\d_]+/g)).toHaveLength(1);
  writeFileSync(
    path.join(consumer, 'coupon-endpoint.test.ts'),
    endpointTest.replace(/latencyBudgetMs: [\d_]+/, 'latencyBudgetMs: 60_000'),
  );
  writeFileSync(path.join(consumer, 'try-the-kit.ts'), readmeBlock('try-the-kit.ts'));
  writeFileSync(path.join(consumer, 'try-the-stand-in.ts'), standInExample);
  writeFileSync(path.join(consumer, 'load-the-endpoint.ts'), loadExample);
  // Type-checks, and emits out/ for the examples that are run with node.
  typeCheck = await run(
    process.execPath,
    [path.join(consumer, 'node_modules/typescript/bin/tsc'), '-p', '.'],
    consumer,
  );

  // The endpoint the README's test judges: the reference server with the README configuration's token.
  server = await startServer({ port: 0, ephemeral: true, token, logger: false });
}, 300_000);

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed kit in a fresh strict TypeScript project', () => {
  it('ships the build, the contract and the READMEs; no sources, tests or benches', () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['dist/harness/index.js', 'dist/harness/index.d.ts', 'README.md']));
    expect(files).toEqual(expect.arrayContaining(['dist/cli/main.js', 'dist/server/index.d.ts']));
    expect(files).toEqual(expect.arrayContaining(['dist/openapi/generated/merchant.bundled.json']));
    expect(files).toContain('dist/core/scenarios/redeem.json');
    expect(files).toEqual(expect.arrayContaining(['dist/mock/index.js', 'dist/mock/index.d.ts']));
    expect(files).toEqual(expect.arrayContaining(['dist/loadtest/index.js', 'dist/loadtest/index.d.ts']));
    // Read at run time: the stand-in's redemption rules and the shipped k6 thresholds.
    expect(files).toEqual(expect.arrayContaining(['dist/mock/redemption-rules.json', 'dist/loadtest/thresholds.json']));
    expect(files.filter((f) => /^(test|bench|scripts)\//.test(f) || /^dist\/.*tsconfig/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs without better-sqlite3 or tsx (nothing compiled)', () => {
    const installed = (name: string): boolean => {
      try {
        readFileSync(path.join(consumer, 'node_modules', name, 'package.json'));
        return true;
      } catch {
        return false;
      }
    };
    expect(installed('gameball-coupon-kit')).toBe(true);
    expect(installed('better-sqlite3')).toBe(false);
    expect(installed('tsx')).toBe(false);
  });

  it("type-checks the README's examples and the /mock and /load scripts with zero errors", () => {
    expect(typeCheck.stdout + typeCheck.stderr).toBe('');
    expect(typeCheck.status).toBe(0);
  });

  it("runs the README's vitest example against an endpoint, passing", async () => {
    const vitest = await run(
      process.execPath,
      [path.join(consumer, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=verbose', 'coupon-endpoint.test.ts'],
      consumer,
      { COUPON_URL: `${server.url}/coupons`, NO_COLOR: '1' },
    );
    expect(vitest.status, shown(vitest)).toBe(0);
    expect(vitest.stdout).toMatch(/our coupon endpoint does what Gameball needs/);
  });

  it('the harness entry loads none of Koa, pino, better-sqlite3 or tsx', async () => {
    const script = `
      const { verify } = await import('gameball-coupon-kit');
      const { createRequire } = await import('node:module');
      const files = Object.keys(createRequire(process.cwd() + '/').cache);
      process.stdout.write(JSON.stringify({ verify: typeof verify, heavy: files.filter((f) => /node_modules[\\\\/](koa|pino|better-sqlite3|tsx)[\\\\/]/.test(f)), ajv: files.some((f) => /[\\\\/]ajv[\\\\/]/.test(f)) }));`;
    const result = await run(process.execPath, ['--input-type=module', '-e', script], consumer);
    expect(result.status, shown(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ verify: 'function', heavy: [], ajv: true });
  });

  it('the stand-in entry starts from the package, answers and stops', async () => {
    const result = await run(process.execPath, ['out/try-the-stand-in.js'], consumer);
    expect(result.status, shown(result)).toBe(0);
    expect(result.stdout).toBe('200 rules\n');
  });

  it('the load entry runs a bounded load test from the package and reconciles it', async () => {
    const result = await run(process.execPath, ['out/load-the-endpoint.js'], consumer, {
      COUPON_URL: `${server.url}/coupons`,
    });
    expect(result.status, shown(result)).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ requests: 20, passed: true, stored: 20 });
    expect(result.stderr).toMatch(/PASSED: all 3 thresholds held/);
  });

  it('gb-coupon serve without better-sqlite3 says how to install it, in one paragraph, exit 2', async () => {
    const serve = await run(
      process.execPath,
      ['node_modules/gameball-coupon-kit/dist/cli/main.js', 'serve', '--port', '0', '--token', 't0ken'],
      consumer,
    );
    expect(serve.status).toBe(2);
    expect(serve.stderr).toMatch(/^gb-coupon: .*better-sqlite3.*npm install better-sqlite3@\^12/);
    expect(serve.stderr.trim().split('\n')).toHaveLength(1);
    expect(serve.stdout).toBe('');
  });

  it('the bin runs from dist (--version from the package manifest)', async () => {
    const version = await run(path.join(consumer, 'node_modules/.bin/gb-coupon'), ['--version'], consumer);
    expect(version.status, shown(version)).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });

  it("runs the README's reference-server example once better-sqlite3 is there", async () => {
    linkFromKit(consumer, 'better-sqlite3');
    const result = await run(process.execPath, ['out/try-the-kit.js'], consumer);
    expect(result.status, shown(result)).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split(' ')[1])).toEqual(expect.arrayContaining(['accepted', 'idempotent-retry']));
    // Every check passes; latency is measured on a shared machine, so its verdict is not asserted here.
    expect(lines.filter((line) => !line.startsWith('passed ') && !line.includes(' latency '))).toEqual([]);
  });
});
