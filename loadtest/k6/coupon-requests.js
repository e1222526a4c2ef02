// @ts-check
// What both k6 scripts share: the requests (from the fixture the harness's renderer wrote, under the
// template -e TEMPLATE names), a fresh code per iteration, the checks, and handleSummary's load.json
// and JUnit. With a template without {{code}} (TEMPLATE=merchant-code) the merchant makes the codes:
// an answer must carry a non-empty code of its own, and one this VU was already given counts in
// duplicate_codes (VUs share no memory in k6, so a code given to two VUs is not seen; gb-coupon load
// sees the whole run). The seeded generator, the
// code shape and the mix draw are the Node runner's (core/scenarios/scenarios.ts seededRandom and
// drawCode, loadtest/runner/mix.ts pickFromMix) written for k6, which cannot load TypeScript; a test
// runs this file against doubles of k6's modules and proves both send the same requests for a seed.
import { check } from 'k6';
import http from 'k6/http';
import { Counter } from 'k6/metrics';

/**
 * @typedef {{ codePrefix: string, method: string, headers: Record<string, string>, body: string }} FixtureRequest
 * @typedef {{ codeMode: 'gameball' | 'merchant', scenarios: Record<string, FixtureRequest> }} FixtureTemplate
 * @typedef {{ codePlaceholder: string, tokenPlaceholder: string, templates: Record<string, FixtureTemplate> }} Fixture
 * @typedef {{ id: string, weight: number, request: FixtureRequest }} MixEntry
 */

export const defaultMix = 'redeem=3,campaign=1';

const notAccepted = new Counter('coupon_not_200');
const missingCode = new Counter('coupon_missing_code');
const duplicateCodes = new Counter('duplicate_codes');

/** mulberry32, as core/scenarios/scenarios.ts seededRandom. */
export function seededRandom(/** @type {number} */ seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** As core/scenarios/scenarios.ts drawCode: PREFIX- and ten draws from the alphabet. */
export function drawCode(/** @type {() => number} */ random, /** @type {string} */ prefix) {
  let suffix = '';
  for (let i = 0; i < 10; i++) suffix += alphabet[Math.floor(random() * alphabet.length)];
  return `${prefix}-${suffix}`;
}

/** The fixture's requests under a template the kit ships: default, merchant-code or extended (-e TEMPLATE). */
export function templateOf(/** @type {Fixture} */ fixture, /** @type {string} */ name) {
  const template = fixture.templates[name];
  if (!template) {
    throw new Error(`TEMPLATE takes one of ${Object.keys(fixture.templates).join(', ')}; got "${name}".`);
  }
  return template;
}

/** `redeem=3,campaign=1`, as gb-coupon load --mix. */
export function parseMix(/** @type {FixtureTemplate} */ template, /** @type {string} */ text) {
  /** @type {MixEntry[]} */
  const entries = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const [id = '', weight = '1'] = part.split('=').map((s) => s.trim());
    const request = template.scenarios[id];
    if (!request || !/^\d+$/.test(weight)) {
      throw new Error(
        `MIX takes scenario=weight pairs such as ${defaultMix}; the scenarios are ${Object.keys(template.scenarios).join(', ')}; got "${part}".`,
      );
    }
    entries.push({ id, weight: Number(weight), request });
  }
  if (entries.length === 0) throw new Error(`MIX names no scenario; e.g. ${defaultMix}.`);
  return entries;
}

/** As loadtest/runner/mix.ts pickFromMix. */
function pickFromMix(/** @type {MixEntry[]} */ mix, /** @type {number} */ draw) {
  const total = mix.reduce((sum, e) => sum + e.weight, 0);
  let point = draw * total;
  for (const entry of mix) {
    if (point < entry.weight) return entry;
    point -= entry.weight;
  }
  return /** @type {MixEntry} */ ([...mix].reverse().find((e) => e.weight > 0));
}

/**
 * The run's settings from -e: TARGET (the endpoint URL), TOKEN (its bearer token), TEMPLATE (default,
 * merchant-code or extended: the body the kit's template of that name sends), RATE, DURATION, STAGES,
 * CONNECTIONS (VUs), MIX, SEED, OUT.
 */
export function settings() {
  const target = __ENV.TARGET;
  if (!target)
    throw new Error(
      'Set the endpoint with -e TARGET=https://shop.example/coupons (and -e TOKEN=... for its bearer token).',
    );
  return {
    target,
    token: __ENV.TOKEN || '',
    template: __ENV.TEMPLATE || 'default',
    rate: Number(__ENV.RATE || 100),
    duration: __ENV.DURATION || '30s',
    connections: Number(__ENV.CONNECTIONS || 100),
    mix: __ENV.MIX || defaultMix,
    seed: __ENV.SEED ? Number(__ENV.SEED) : Math.floor(Math.random() * 2 ** 31),
    out: __ENV.OUT || 'gb-coupon-load',
  };
}

/**
 * This VU's deliveries: VU 1 draws exactly the Node runner's sequence for SEED; every other VU
 * starts from a seed far along the generator, so codes stay unique across VUs.
 */
export function deliveries(
  /** @type {Fixture} */ fixture,
  /** @type {ReturnType<typeof settings>} */ run,
  /** @type {number} */ vu,
) {
  const template = templateOf(fixture, run.template || 'default');
  const mix = parseMix(template, run.mix);
  const random = seededRandom((run.seed + Math.imul(Math.max(vu, 1) - 1, 0x9e3779b9)) >>> 0);
  return () => {
    const entry = pickFromMix(mix, random());
    const code = drawCode(random, entry.request.codePrefix);
    /** @type {Record<string, string>} */
    const headers = {};
    for (const [key, value] of Object.entries(entry.request.headers)) {
      headers[key] = value.split(fixture.tokenPlaceholder).join(run.token);
    }
    const body = entry.request.body.split(fixture.codePlaceholder).join(code);
    const codeMode = template.codeMode;
    return { scenario: entry.id, code, codeMode, method: entry.request.method, url: run.target, headers, body };
  };
}

/** The deliveries' own thresholds beside the shared file's: a code given twice fails a merchant-code run. */
export function thresholdsFor(
  /** @type {Record<string, import('k6/options').Threshold[]>} */ shared,
  /** @type {Fixture} */ fixture,
  /** @type {ReturnType<typeof settings>} */ run,
) {
  const merchant = templateOf(fixture, run.template || 'default').codeMode === 'merchant';
  return merchant && !('duplicate_codes' in shared) ? { ...shared, duplicate_codes: ['count<1'] } : shared;
}

/** Gameball accepts exactly 200; anything else counts in http_req_failed. */
export function expectExactly200() {
  http.setResponseCallback(http.expectedStatuses(200));
}

/** The merchant's codes this VU was given (merchant-code mode). */
const given = new Set();

/** One iteration: send the delivery and check it as gb-coupon load does (status, code). */
export function deliver(/** @type {ReturnType<ReturnType<typeof deliveries>>} */ delivery) {
  const response = http.request(delivery.method, delivery.url, delivery.body, {
    headers: delivery.headers,
    tags: { scenario: delivery.scenario },
  });
  const code = couponCodeOf(response.body);
  if (delivery.codeMode === 'merchant') {
    const fresh = typeof code === 'string' && code.trim() !== '' && !given.has(code);
    check(response, {
      'status is 200': (r) => r.status === 200,
      'carries a code of its own': () => fresh,
    });
    if (response.status !== 200) notAccepted.add(1);
    else if (typeof code !== 'string' || code.trim() === '') missingCode.add(1);
    else if (!fresh) duplicateCodes.add(1);
    else given.add(code);
    return;
  }
  const ok = check(response, {
    'status is 200': (r) => r.status === 200,
    'carries the code': () => code === delivery.code,
  });
  if (response.status !== 200) notAccepted.add(1);
  else if (!ok) missingCode.add(1);
}

function couponCodeOf(/** @type {unknown} */ body) {
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body).couponCode;
  } catch {
    return undefined;
  }
}

/** The trend figures the summary prints and load.json needs. */
export const summaryTrendStats = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

/**
 * @typedef {{ values: Record<string, number>, thresholds?: Record<string, { ok: boolean }> }} SummaryMetric
 * @typedef {{ metrics: Record<string, SummaryMetric>, state?: { testRunDurationMs?: number } }} SummaryData
 */

/** handleSummary: load.json in gb-coupon load's shape, JUnit with one case per threshold, and a short text summary. */
export function summaryFiles(/** @type {SummaryData} */ data, /** @type {string} */ out) {
  const metric = (/** @type {string} */ name) => data.metrics[name]?.values ?? {};
  const duration = metric('http_req_duration');
  /** @type {{ metric: string, expression: string, ok: boolean, value: number | null }[]} */
  const thresholds = [];
  for (const [name, m] of Object.entries(data.metrics)) {
    for (const [expression, result] of Object.entries(m.thresholds ?? {})) {
      thresholds.push({ metric: name, expression, ok: result.ok, value: observed(m.values, expression) });
    }
  }
  const report = {
    requests: metric('http_reqs').count ?? 0,
    rps: round(metric('http_reqs').rate ?? 0),
    latencyMs: {
      p50: duration.med ?? 0,
      p95: duration['p(95)'] ?? 0,
      p99: duration['p(99)'] ?? 0,
      max: duration.max ?? 0,
    },
    errors: metric('http_req_failed').passes ?? 0,
    // k6 checks the status and the code; the contract's schema is checked by gb-coupon load only.
    schemaViolations: null,
    dropped: metric('dropped_iterations').count ?? 0,
    thresholds,
    tool: 'k6',
  };
  const text = [
    'gb-coupon k6 summary',
    ...thresholds.map((t) => `  ${t.ok ? '✓' : '✗'} ${t.metric} ${t.expression} (${t.value})`),
    `  requests ${report.requests} (${report.rps}/s), p95 ${report.latencyMs.p95} ms, failed ${report.errors}, dropped ${report.dropped}`,
    thresholds.every((t) => t.ok) ? '  PASSED' : '  FAILED: a threshold was crossed (k6 exits 99)',
    '',
  ].join('\n');
  return {
    stdout: text,
    [`${out}/load.json`]: `${JSON.stringify(report, null, 2)}\n`,
    [`${out}/junit.xml`]: junit(thresholds, report.requests),
  };
}

/** The value an expression compares: `p(95)<250` reads p(95), `rate<0.01` the rate, `count<1` the count. */
function observed(/** @type {Record<string, number>} */ values, /** @type {string} */ expression) {
  const method = /^\s*(avg|min|max|med|count|rate|value|p\(\s*[\d.]+\s*\))/.exec(expression)?.[1]?.replace(/\s+/g, '');
  if (!method) return null;
  const value = values[method];
  return value === undefined ? null : value;
}

function junit(
  /** @type {{ metric: string, expression: string, ok: boolean, value: number | null }[]} */ thresholds,
  /** @type {number} */ requests,
) {
  const failures = thresholds.filter((t) => !t.ok).length;
  const cases = thresholds.map((t) => {
    const name = xml(`${t.metric} ${t.expression}`);
    const head = `    <testcase classname="thresholds.${xml(t.metric)}" name="${name}">`;
    return t.ok
      ? `${head}</testcase>`
      : `${head}\n      <failure message="${name} crossed: ${xml(String(t.value))}" type="ThresholdCrossed">observed ${xml(String(t.value))} over ${requests} requests</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gb-coupon k6" tests="${thresholds.length}" failures="${failures}">`,
    `  <testsuite name="gb-coupon k6" tests="${thresholds.length}" failures="${failures}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function xml(/** @type {string} */ text) {
  /** @type {Record<string, string>} */
  const entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

function round(/** @type {number} */ x) {
  return Math.round(x * 10) / 10;
}
