// The k6 scripts, run where k6 cannot be: each script's default function and handleSummary against
// doubles of `k6`, `k6/http` and `k6/metrics`. They must send exactly the requests the Node runner
// sends for the same seed, check what it checks, and hold the thresholds of the shared file.
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfiguration } from '../../core/config/default-configuration.ts';
import { buildFixture, fixturePath } from '../../loadtest/build-fixture.ts';
import { constantPlan } from '../../loadtest/runner/arrivals.ts';
import { deliverySource } from '../../loadtest/runner/deliveries.ts';
import { parseMix } from '../../loadtest/runner/mix.ts';
import { runLoad } from '../../loadtest/runner/run-load.ts';
import { type K6Request, recorded, resetRecording } from './k6-doubles/recorder.ts';
import { accept, startTarget, type Target } from './support/targets.ts';

interface K6Script {
  options: { scenarios: Record<string, Record<string, unknown>>; thresholds: unknown; summaryTrendStats: string[] };
  default: () => void;
  handleSummary: (data: unknown) => Record<string, string>;
}

const loadtest = new URL('../../loadtest/', import.meta.url);
const sharedThresholds = JSON.parse(readFileSync(new URL('thresholds.json', loadtest), 'utf8')) as unknown;
const seed = 42;
const mixText = 'redeem=3,campaign=2,free-shipping=1';
const token = 'k6-token';
let target: Target;
let constant: K6Script;
let ramping: K6Script;
let merchantCodes: K6Script;

/** Imports a script as k6 would run it in VU 1, with -e settings as __ENV. */
async function importScript(file: string, env: Record<string, string>, instance = ''): Promise<K6Script> {
  const globals = globalThis as Record<string, unknown>;
  globals.__ENV = env;
  globals.__VU = 1;
  globals.__ITER = 0;
  // k6's open() reads files relative to the script.
  globals.open = (relative: string) => readFileSync(new URL(relative, new URL(file, loadtest)), 'utf8');
  // A query makes a fresh instance of the script (a new VU), its sequence from the start.
  const url = `${new URL(file, loadtest).href}${instance ? `?vu=${instance}` : ''}`;
  return (await import(url)) as K6Script;
}

beforeAll(async () => {
  target = await startTarget(accept);
  const env = {
    TARGET: target.url,
    TOKEN: token,
    SEED: String(seed),
    MIX: mixText,
    RATE: '50',
    DURATION: '45s',
    OUT: 'out',
  };
  constant = await importScript('coupon-load.js', env);
  ramping = await importScript('coupon-ramp.js', { ...env, STAGES: '10s:100,30s:500,10s:0', RATE: '5' });
  merchantCodes = await importScript('coupon-load.js', { ...env, TEMPLATE: 'merchant-code' }, 'merchant');
});
afterAll(async () => {
  await target.close();
});
beforeEach(() => {
  resetRecording();
});

const comparable = (r: {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: string | null;
}) => ({
  method: r.method,
  url: r.url,
  authorization: r.headers.authorization,
  contentType: r.headers['content-type'],
  userAgent: r.headers['user-agent'],
  body: r.body,
});

describe('the k6 scripts', () => {
  it('send, for a seed, the requests the Node runner renders, in the same order', () => {
    for (let i = 0; i < 200; i++) constant.default();
    const next = deliverySource(defaultConfiguration(target.url, token), parseMix(mixText), seed);
    const runner = Array.from({ length: 200 }, () => next().request);
    expect(recorded.requests.map((r) => ({ ...r, body: r.body ?? undefined, tags: undefined }))).toEqual(
      runner.map((r) => ({ method: r.method, url: r.url, headers: r.headers, body: r.body, tags: undefined })),
    );
    // The mix's three scenarios all appear, each with its own code prefix.
    expect(new Set(recorded.requests.map((r) => r.tags.scenario))).toEqual(
      new Set(['redeem', 'campaign', 'free-shipping']),
    );
  });

  it('send what gb-coupon load actually puts on the wire for the same seed', async () => {
    const before = target.requests.length;
    await runLoad({
      config: defaultConfiguration(target.url, token),
      model: { kind: 'open', plan: constantPlan(50, 500) },
      connections: 10,
      mix: parseMix(mixText),
      seed,
      timeoutMs: 5000,
    });
    const wire = target.requests
      .slice(before)
      .map((r) => comparable({ ...r, url: `${new URL(target.url).origin}${r.url}` }));
    const fresh = await importScript(
      'coupon-load.js',
      { TARGET: target.url, TOKEN: token, SEED: String(seed), MIX: mixText },
      'wire',
    );
    for (let i = 0; i < wire.length; i++) fresh.default();
    const k6 = recorded.requests.map((r: K6Request) => comparable(r));
    const byBody = (a: { body?: string | null | undefined }, b: { body?: string | null | undefined }) =>
      String(a.body).localeCompare(String(b.body));
    expect(wire).toHaveLength(25);
    expect(k6.sort(byBody)).toEqual(wire.sort(byBody));
  });

  it('check status 200 and the code, count answers without it, and fail anything but 200', () => {
    constant.default();
    expect(recorded.checks).toEqual([
      { name: 'status is 200', ok: true },
      { name: 'carries the code', ok: true },
    ]);
    expect(recorded.responseCallback).toEqual({ expectedStatuses: [200] });
    const respond = recorded.respond;
    try {
      recorded.respond = () => ({ status: 200, body: '{"couponCode":"SOMETHING-ELSE"}' });
      constant.default();
      recorded.respond = () => ({ status: 500, body: 'boom' });
      constant.default();
    } finally {
      recorded.respond = respond;
    }
    expect(recorded.checks.slice(2).map((c) => c.ok)).toEqual([true, false, false, false]);
    expect(recorded.metrics).toEqual([
      { name: 'coupon_missing_code', value: 1 },
      { name: 'coupon_not_200', value: 1 },
    ]);
  });

  it('hold the shared thresholds and use the arrival-rate executors', () => {
    expect(constant.options.thresholds).toEqual(sharedThresholds);
    expect(ramping.options.thresholds).toEqual(sharedThresholds);
    expect(constant.options.scenarios.coupons).toMatchObject({
      executor: 'constant-arrival-rate',
      rate: 50,
      duration: '45s',
      timeUnit: '1s',
    });
    expect(ramping.options.scenarios.coupons).toMatchObject({
      executor: 'ramping-arrival-rate',
      startRate: 5,
      stages: [
        { duration: '10s', target: 100 },
        { duration: '30s', target: 500 },
        { duration: '10s', target: 0 },
      ],
    });
    expect(constant.options.summaryTrendStats).toContain('p(99)');
  });

  it("handleSummary writes load.json in gb-coupon load's shape and JUnit with a case per threshold", () => {
    const data = {
      metrics: {
        http_reqs: { values: { count: 1500, rate: 49.93 } },
        http_req_duration: {
          values: { avg: 12, min: 2, med: 9, max: 410, 'p(90)': 30, 'p(95)': 260, 'p(99)': 400 },
          thresholds: { 'p(95)<250': { ok: false }, 'p(99)<500': { ok: true } },
        },
        http_req_failed: {
          values: { rate: 0.002, passes: 3, fails: 1497 },
          thresholds: { 'rate<0.001': { ok: false } },
        },
        checks: { values: { rate: 0.999, passes: 2997, fails: 3 }, thresholds: { 'rate>0.999': { ok: false } } },
        dropped_iterations: { values: { count: 0, rate: 0 }, thresholds: { 'count<1': { ok: true } } },
      },
    };
    for (const script of [constant, ramping]) {
      const files = script.handleSummary(data);
      expect(Object.keys(files).sort()).toEqual(['out/junit.xml', 'out/load.json', 'stdout']);
      const report = JSON.parse(files['out/load.json']!) as Record<string, unknown>;
      expect(report).toMatchObject({
        requests: 1500,
        rps: 49.9,
        latencyMs: { p50: 9, p95: 260, p99: 400, max: 410 },
        errors: 3,
        dropped: 0,
      });
      expect(report.thresholds).toEqual([
        { metric: 'http_req_duration', expression: 'p(95)<250', ok: false, value: 260 },
        { metric: 'http_req_duration', expression: 'p(99)<500', ok: true, value: 400 },
        { metric: 'http_req_failed', expression: 'rate<0.001', ok: false, value: 0.002 },
        { metric: 'checks', expression: 'rate>0.999', ok: false, value: 0.999 },
        { metric: 'dropped_iterations', expression: 'count<1', ok: true, value: 0 },
      ]);
      const junit = new XMLParser({ ignoreAttributes: false }).parse(files['out/junit.xml']!);
      const cases = [junit.testsuites.testsuite.testcase].flat() as Record<string, unknown>[];
      expect(cases.map((c) => [c['@_name'], 'failure' in c])).toEqual([
        ['http_req_duration p(95)<250', true],
        ['http_req_duration p(99)<500', false],
        ['http_req_failed rate<0.001', true],
        ['checks rate>0.999', true],
        ['dropped_iterations count<1', false],
      ]);
      expect(files.stdout).toContain('FAILED');
    }
  });

  it('give each VU its own codes', async () => {
    const { deliveries } = (await import(new URL('k6/coupon-requests.js', loadtest).href)) as {
      deliveries: (fixture: unknown, run: unknown, vu: number) => () => { code: string };
    };
    const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as unknown;
    const run = { target: target.url, token, mix: mixText, seed };
    const codes = (vu: number) => {
      const next = deliveries(fixture, run, vu);
      return Array.from({ length: 500 }, () => next().code);
    };
    const all = [...codes(1), ...codes(2), ...codes(3)];
    expect(new Set(all).size).toBe(1500);
  });
});

describe('the k6 scripts with a template without {{code}} (TEMPLATE=merchant-code)', () => {
  const merchantConfig = () => defaultConfiguration(target.url, token, 'merchant-code');

  it('send, for a seed, the requests the Node runner renders, with no code in them', () => {
    for (let i = 0; i < 50; i++) merchantCodes.default();
    const next = deliverySource(merchantConfig(), parseMix(mixText), seed);
    const runner = Array.from({ length: 50 }, () => next().request);
    expect(recorded.requests.map((r) => ({ method: r.method, url: r.url, headers: r.headers, body: r.body }))).toEqual(
      runner.map((r) => ({ method: r.method, url: r.url, headers: r.headers, body: r.body })),
    );
    expect(recorded.requests.every((r) => !('code' in JSON.parse(r.body!)))).toBe(true);
  });

  it("check for a code of the merchant's own, and count an empty one and one given twice", () => {
    const respond = recorded.respond;
    const answers = ['SHOP-1', 'SHOP-2', '', 'SHOP-1'];
    try {
      recorded.respond = () => ({ status: 200, body: JSON.stringify({ couponCode: answers.shift() }) });
      for (let i = 0; i < 4; i++) merchantCodes.default();
    } finally {
      recorded.respond = respond;
    }
    expect(recorded.checks.filter((c) => c.name === 'carries a code of its own').map((c) => c.ok)).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(recorded.metrics).toEqual([
      { name: 'coupon_missing_code', value: 1 },
      { name: 'duplicate_codes', value: 1 },
    ]);
  });

  it('judge duplicate_codes count<1 beside the shared thresholds', () => {
    expect(merchantCodes.options.thresholds).toEqual({
      ...(sharedThresholds as object),
      duplicate_codes: ['count<1'],
    });
  });

  it('refuse a template the kit does not ship, naming those it does', async () => {
    await expect(importScript('coupon-load.js', { TARGET: target.url, TEMPLATE: 'nope' }, 'nope')).rejects.toThrow(
      /TEMPLATE takes one of default, merchant-code, extended; got "nope"/,
    );
  });
});

describe('the k6 fixture', () => {
  it('is what npm run generate renders from the scenarios today (run it after changing a scenario)', () => {
    expect(readFileSync(fixturePath, 'utf8')).toBe(buildFixture());
  });
});
