// Realistic reports for the reporter tests and previews: a clean run against the embedded reference
// server, and a failing run against a merchant endpoint whose answers are hostile to every renderer
// (markup, a closing </details>, CDATA terminators, terminal escapes, Arabic and emoji).
import type { CheckResult, LatencySample, Report, Reproduction } from '../../../harness/report/types.ts';

export const TARGET_URL = 'https://shop.example.com/gameball/coupons?store=main';

/** Everything a response body can do to a report that does not escape it. */
export const NASTY_BODY =
  '<html><body><script>alert("xss")</script></details><img src=x onerror=alert(1)>' +
  'خطأ في الخادم 😀 ]]> \u001b[2J\u001b[31mred\u001b[0m & "quotes" \'single\'</body></html>';

const CHECKS: Omit<CheckResult, 'status' | 'message' | 'durationMs' | 'findings' | 'dependsOn'>[] = [
  { id: 'accepted', title: 'Every enabled coupon type answers exactly 200 with the code that was sent' },
  { id: 'response-conformance', title: 'The answer is JSON and matches the contract’s response schema' },
  { id: 'idempotent-retry', title: 'The same delivery sent again answers 200 with the same code' },
  { id: 'concurrent-duplicates', title: '20 identical deliveries at once all answer 200 with the same code' },
  { id: 'conflicting-reuse', title: 'The same code with other attributes is refused with 409' },
  { id: 'auth-required', title: 'A delivery without the configured auth headers is refused with 401 or 403' },
  { id: 'wrong-credentials', title: 'A delivery with a wrong credential is refused with 401 or 403' },
  { id: 'bad-input', title: 'Malformed or out-of-range deliveries get a 4xx with a JSON body' },
  { id: 'unicode', title: 'Customer ids in Arabic script and with emoji are accepted' },
  { id: 'free-product', title: 'A free product coupon with entitledProductIds is accepted' },
  { id: 'stability', title: 'A burst of 30 distinct deliveries all succeed, and nothing answers 5xx' },
  { id: 'latency', title: 'p95 response time over the run is within the budget' },
];

const PASS_MESSAGES: Record<string, string> = {
  accepted: 'All 4 enabled coupon types answered 200 with the code that was sent.',
};

function curlFor(body: string): string {
  return [
    `curl -sS -X POST '${TARGET_URL}'`,
    "  -H 'content-type: application/json'",
    "  -H 'x-gameball-token: gb_test_7f3a'",
    `  --data-raw '${body}'`,
  ].join(' \\\n');
}

const DELIVERY = JSON.stringify({
  playerUniqueId: 'adam-1001',
  code: 'GB-7Q2M-X9',
  couponType: 'percentage_discount',
  value: 10,
  source: 'Points Redemption',
});

export const SERVER_ERROR_REPRODUCTION: Reproduction = {
  request: {
    method: 'POST',
    url: TARGET_URL,
    headers: { 'content-type': 'application/json', 'x-gameball-token': 'gb_test_7f3a' },
    body: DELIVERY,
  },
  response: {
    status: 500,
    headers: { 'content-type': 'text/html; charset=utf-8', 'x-request-id': 'req_81c2' },
    body: NASTY_BODY,
  },
  curl: curlFor(DELIVERY),
  script: `#!/usr/bin/env bash\n# Reproduces idempotent-retry: status-not-200\n\n# 1.\n${curlFor(DELIVERY)}\necho\n\n# 2.\n${curlFor(DELIVERY)}\necho\n`,
  requests: 2,
};

const TIMEOUT_REPRODUCTION: Reproduction = {
  request: SERVER_ERROR_REPRODUCTION.request,
  error: 'timeout after 5000 ms',
  curl: curlFor(DELIVERY),
  script: `#!/usr/bin/env bash\n# Reproduces stability: burst-failed\n\n# 1.\n${curlFor(DELIVERY)}\necho\n`,
  requests: 1,
};

const PLAIN_TEXT_REPRODUCTION: Reproduction = {
  request: { ...SERVER_ERROR_REPRODUCTION.request, body: '{"playerUniqueId":"adam-1001"' },
  response: { status: 400, headers: { 'content-type': 'text/plain' }, body: 'Bad Request' },
  curl: curlFor('{"playerUniqueId":"adam-1001"'),
  script: `#!/usr/bin/env bash\n# Reproduces bad-input: error-body-not-json\n\n# 1.\n${curlFor('{"playerUniqueId":"adam-1001"')}\necho\n`,
  requests: 1,
};

/** What every check depends on, as the registry declares it. */
const dependsOn = (id: string): string[] => (id === 'accepted' ? [] : ['accepted']);

/** The clean run: every check passes against the embedded reference server. */
export function passingReport(): Report {
  const checks = CHECKS.map(
    (check, i): CheckResult => ({
      ...check,
      dependsOn: dependsOn(check.id),
      findings: [],
      status: 'passed',
      message: PASS_MESSAGES[check.id] ?? `Passed: ${check.title.charAt(0).toLowerCase()}${check.title.slice(1)}.`,
      durationMs: 12 + i * 17.5,
    }),
  );
  const report = assemble(checks, { embedded: true, url: 'http://127.0.0.1:41873/coupons', timeline: timeline(0) });
  const latencyCheck = report.checks.find((check) => check.id === 'latency')!;
  latencyCheck.message = `p95 was ${report.latency.p95} ms, within the ${report.latency.budgetMs} ms budget.`;
  return report;
}

/**
 * A broken merchant endpoint: the retry answers 500 with a hostile HTML page, a burst request times
 * out, latency is over budget, bad input is refused with plain-text errors (a warning), and one
 * check was skipped.
 */
export function failingReport(): Report {
  const failures: Record<string, { kind: string; message: string; reproduction?: Reproduction }> = {
    'idempotent-retry': {
      kind: 'status-not-200',
      message:
        'The retry answered 500 instead of 200: Gameball would mark the coupon as failed although it exists. Look the code up and answer 200 with it.',
      reproduction: SERVER_ERROR_REPRODUCTION,
    },
    stability: {
      kind: 'burst-failed',
      message:
        '1 of 30 deliveries got no answer within 5000 ms (timeout); Gameball never retries, so that customer gets no coupon.',
      reproduction: TIMEOUT_REPRODUCTION,
    },
    latency: {
      kind: 'latency-over-budget',
      message: 'p95 was over the 1000 ms budget: customers wait in the widget while Gameball calls.',
    },
  };
  const checks = CHECKS.map((check, i): CheckResult => {
    const base = { ...check, dependsOn: dependsOn(check.id), findings: [], durationMs: 40 + i * 95 };
    if (check.id === 'free-product') {
      return {
        ...base,
        status: 'skipped',
        kind: 'not-applicable',
        message: 'Skipped: free product coupons are disabled in the configuration (enableFreeProduct is false).',
        durationMs: 0,
      };
    }
    if (check.id === 'bad-input') {
      const message =
        'malformed JSON answered 400 without a JSON error body (Gameball does not read it; people debugging do).';
      return {
        ...base,
        status: 'warning',
        kind: 'error-body-not-json',
        message,
        findings: [
          { severity: 'warning', kind: 'error-body-not-json', message, reproduction: PLAIN_TEXT_REPRODUCTION },
        ],
        reproduction: PLAIN_TEXT_REPRODUCTION,
      };
    }
    const failure = failures[check.id];
    if (!failure) return { ...base, status: 'passed', message: PASS_MESSAGES[check.id] ?? 'Passed.' };
    return {
      ...base,
      status: 'failed',
      ...failure,
      findings: [{ severity: 'failure', ...failure }],
    };
  });
  return assemble(checks, {
    embedded: false,
    url: TARGET_URL,
    timeline: timeline(1),
    notes: [
      'couponMapping was given as an array of {gameballType, merchantType} pairs (tutorial variant); read it as the canonical object form.',
      'The payload template has no {{code}} placeholder inside quotes; codes are sent as JSON strings anyway.',
    ],
  });
}

function assemble(
  checks: CheckResult[],
  run: { embedded: boolean; url: string; timeline: LatencySample[]; notes?: string[] },
): Report {
  const count = (status: CheckResult['status']) => checks.filter((check) => check.status === status).length;
  const durations = run.timeline.map((sample) => sample.durationMs).sort((a, b) => a - b);
  const percentile = (p: number) =>
    durations[Math.min(durations.length - 1, Math.ceil((p / 100) * durations.length) - 1)] ?? 0;
  return {
    tool: { name: 'gb-coupon', version: '0.1.0' },
    target: { url: run.url, method: 'POST', embedded: run.embedded },
    startedAt: '2025-11-26T12:00:00.000Z',
    durationMs: Math.max(...run.timeline.map((sample) => sample.atMs + sample.durationMs)),
    seed: 42,
    summary: {
      passed: count('passed'),
      warnings: count('warning'),
      failed: count('failed'),
      skipped: count('skipped'),
    },
    strict: false,
    outcome: count('failed') > 0 ? 'failed' : 'passed',
    checks,
    latency: {
      samples: durations.length,
      p50: percentile(50),
      p95: percentile(95),
      p99: percentile(99),
      max: durations.at(-1) ?? 0,
      budgetMs: 1000,
      timeline: run.timeline,
    },
    notes: run.notes ?? [],
  };
}

/**
 * About 140 requests over ~1.4 s, in the order the checks send them. `trouble` 1 adds what the
 * failing endpoint does: slow answers, 500s on retries and one timeout.
 */
function timeline(trouble: 0 | 1): LatencySample[] {
  let state = 42 + trouble;
  // A small linear congruential generator: the same samples on every run, no dependency.
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const samples: LatencySample[] = [];
  let at = 5;
  const send = (checkId: string, status: number | null, slow = 1) => {
    const durationMs = Math.round((2 + random() ** 3 * 18) * slow * (1 + trouble * 4) * 10) / 10;
    samples.push({ atMs: Math.round(at * 10) / 10, durationMs, status, checkId });
  };
  for (let i = 0; i < 4; i++, at += 20) send('accepted', 200);
  for (let i = 0; i < 4; i++, at += 15) send('response-conformance', 200);
  for (let i = 0; i < 2; i++, at += 15) send('idempotent-retry', i === 1 && trouble ? 500 : 200);
  for (let i = 0; i < 20; i++) send('concurrent-duplicates', 200, 3);
  at += 80;
  for (let i = 0; i < 2; i++, at += 12) send('conflicting-reuse', i === 0 ? 200 : 409);
  for (let i = 0; i < 2; i++, at += 10) send('auth-required', 401);
  for (let i = 0; i < 2; i++, at += 10) send('wrong-credentials', 403);
  for (let i = 0; i < 7; i++, at += 14) send('bad-input', i % 3 === 0 ? 422 : 400);
  for (let i = 0; i < 2; i++, at += 16) send('unicode', 200);
  if (!trouble) for (let i = 0; i < 2; i++, at += 16) send('free-product', 200);
  for (let i = 0; i < 90; i++, at += 8 + random() * 4) {
    if (trouble && i === 44)
      samples.push({ atMs: Math.round(at), durationMs: 5000, status: null, checkId: 'stability' });
    else send('stability', trouble && i % 9 === 4 ? 500 : 200, trouble && i % 4 === 0 ? 40 : 1);
  }
  return samples;
}
