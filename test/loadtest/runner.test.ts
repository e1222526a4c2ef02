// The load runner in-process against small real targets on 127.0.0.1: the arrival rate it keeps,
// what it counts as dropped when the target stalls, ramping stages, the closed model, and
// reconciliation. Rates and durations are small and every run is bounded.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfiguration } from '../../core/config/default-configuration.ts';
import { constantPlan, plannedCount } from '../../loadtest/runner/arrivals.ts';
import { parseMix } from '../../loadtest/runner/mix.ts';
import { lookupTemplate, reconcile } from '../../loadtest/runner/reconcile.ts';
import { type LoadOptions, runLoad } from '../../loadtest/runner/run-load.ts';
import { startProcess } from '../support/processes.ts';
import { accept, storing, targetsClosedAfterEach } from './support/targets.ts';

const target = targetsClosedAfterEach();

function options(url: string, overrides: Partial<LoadOptions>): LoadOptions {
  return {
    config: defaultConfiguration(url, 'load-token'),
    model: { kind: 'open', plan: constantPlan(100, 1000) },
    connections: 20,
    mix: parseMix('redeem=3,campaign=1'),
    seed: 7,
    timeoutMs: 5000,
    ...overrides,
  };
}

describe('gb-coupon load runner', () => {
  it('keeps the asked arrival rate: 200/s for 2 s arrives within 5% of 200/s', async () => {
    // The target runs in its own process and times each arrival there.
    const child = startProcess(process.execPath, [
      fileURLToPath(new URL('./support/counting-target.mjs', import.meta.url)),
    ]);
    try {
      await child.waitFor(/listening \d+/);
      const port = /listening (\d+)/.exec(child.output())![1];
      const url = `http://127.0.0.1:${port}/coupons`;
      const arrivalsAt = async (): Promise<number[]> => (await (await fetch(url)).json()) as number[];
      // A short run first, so that the measured one does not include compiling the hot paths.
      await runLoad(options(url, { model: { kind: 'open', plan: constantPlan(100, 300) } }));
      await arrivalsAt();
      // A connection for every request: a pause of this shared machine then sends the overdue
      // requests late instead of dropping them.
      const run = await runLoad(
        options(url, { model: { kind: 'open', plan: constantPlan(200, 2000) }, connections: 400 }),
      );
      expect(run.metrics.sent).toBe(400);
      expect(run.metrics.dropped).toBe(0);
      expect(run.metrics.failures).toBe(0);
      expect(run.metrics.checksPassed).toBe(run.metrics.checksTotal);
      const arrivals = (await arrivalsAt()).sort((a, b) => a - b);
      expect(arrivals).toHaveLength(400);
      // A pause of this shared machine can only make a request late, never early: the earliest
      // arrivals trace the schedule. So the rate is read off that lower envelope: the earliest
      // arrival (as an offset from a 5 ms spacing) of each quarter of the run, and the median slope
      // between those four points (Theil-Sen), which one late quarter does not move.
      const offsets = arrivals.map((t, i) => t - i * 5);
      const envelope = Array.from({ length: 4 }, (_, k) => {
        const chunk = offsets.slice(k * 100, k * 100 + 100);
        const least = Math.min(...chunk);
        return { index: k * 100 + chunk.indexOf(least), offset: least };
      });
      const slopes = envelope.flatMap((a, k) =>
        envelope.slice(k + 1).map((b) => (b.offset - a.offset) / (b.index - a.index)),
      );
      const slope = slopes.sort((a, b) => a - b)[Math.floor(slopes.length / 2)]!;
      const observedRate = 1000 / (5 + slope);
      expect(Math.abs(observedRate - 200) / 200).toBeLessThan(0.05);
    } finally {
      await child.stop();
    }
  });

  it('sends a fresh code and the configured token with every request', async () => {
    const fast = await target(accept);
    const run = await runLoad(options(fast.url, { model: { kind: 'open', plan: constantPlan(100, 500) } }));
    expect(new Set(fast.requests.map((r) => r.code)).size).toBe(run.metrics.sent);
    expect(fast.requests.every((r) => r.headers.authorization === 'Bearer load-token')).toBe(true);
  });

  it('counts as dropped every request due while all connections wait on a stalled target', async () => {
    const stalled: { end: () => void }[] = [];
    const stall = await target((_request, _index, res) => {
      stalled.push({ end: () => res.destroy() });
    });
    const run = await runLoad(
      options(stall.url, { model: { kind: 'open', plan: constantPlan(50, 1000) }, connections: 4, timeoutMs: 400 }),
    );
    for (const s of stalled) s.end();
    const m = run.metrics;
    expect(m.sent + m.dropped).toBe(50);
    expect(m.dropped).toBeGreaterThanOrEqual(30);
    expect(m.byKind.timeout).toBe(m.sent);
    expect(m.answered).toBe(0);
    // Latency runs from the scheduled time, so the timeouts show as at least the timeout.
    expect(m.percentile(50)).toBeGreaterThanOrEqual(400);
  });

  it('ramps through stages like ramping-arrival-rate', async () => {
    const fast = await target(accept);
    const plan = {
      startRate: 0,
      stages: [
        { durationMs: 1000, target: 100 },
        { durationMs: 500, target: 100 },
      ],
    };
    const run = await runLoad(options(fast.url, { model: { kind: 'open', plan } }));
    expect(plannedCount(plan)).toBe(100);
    expect(run.metrics.sent + run.metrics.dropped).toBe(100);
    // Half of a ramp from 0 arrives in its second half: the first half-second carries a quarter of it.
    const first = fast.requests[0]!.arrivedAt;
    const early = fast.requests.filter((r) => r.arrivedAt - first < 500).length;
    expect(early).toBeGreaterThan(5);
    expect(early).toBeLessThan(25);
  });

  it('--rate max keeps every connection busy and drops nothing', async () => {
    const fast = await target(accept);
    const run = await runLoad(options(fast.url, { model: { kind: 'max', durationMs: 500 }, connections: 4 }));
    expect(run.metrics.sent).toBeGreaterThan(20);
    expect(run.metrics.sent).toBe(fast.requests.length);
    expect(run.metrics.dropped).toBe(0);
    expect(run.metrics.failures).toBe(0);
  });

  it('stops when a threshold with abortOnFail is crossed', async () => {
    const failing = await target((_request, _index, res) => res.writeHead(503).end('down'));
    const run = await runLoad(
      options(failing.url, {
        model: { kind: 'open', plan: constantPlan(50, 20_000) },
        thresholds: [
          {
            metric: 'http_req_failed',
            expression: 'rate<0.01',
            aggregation: 'rate',
            operator: '<',
            value: 0.01,
            abortOnFail: true,
            delayAbortEvalMs: 0,
          },
        ],
      }),
    );
    expect(run.stoppedBy).toEqual({ reason: 'threshold', metric: 'http_req_failed', expression: 'rate<0.01' });
    expect(run.durationMs).toBeLessThan(10_000);
    expect(run.metrics.byStatus.get(503)).toBe(run.metrics.sent);
  });

  it('reconciliation finds a code acknowledged but not stored', async () => {
    const stored = new Set<string>();
    // Acknowledges every delivery, stores all but every tenth.
    const forgetful = await target(storing(stored, (index) => index % 10 === 3));
    const config = defaultConfiguration(forgetful.url, 'load-token');
    const run = await runLoad(
      options(forgetful.url, { keepCodes: true, model: { kind: 'open', plan: constantPlan(100, 500) } }),
    );
    expect(run.acknowledgedCodes).toHaveLength(50);
    const result = await reconcile(config, lookupTemplate(config), run.acknowledgedCodes, {
      connections: 4,
      timeoutMs: 2000,
    });
    expect(result).toMatchObject({ checked: 50, stored: 45, notStored: 5, lookupErrors: 0 });
    const forgotten = forgetful.requests.filter((_r, i) => i % 10 === 3).map((r) => r.code);
    expect([...result.missingCodes].sort()).toEqual(forgotten.sort());
    expect(lookupTemplate(config)).toBe(`${forgetful.url}/{code}`);
    expect(() => lookupTemplate(defaultConfiguration('http://127.0.0.1:1/hooks/gameball', 't'))).toThrow(/--lookup/);
    expect(() => lookupTemplate(config, 'http://shop/coupons')).toThrow(/\{code\}/);
  });

  /** Reconciles two codes against a target that acknowledges every delivery and answers each lookup 200 with `answer`. */
  async function reconcileWhenLookupAnswers(contentType: string, answer: string) {
    const answering = await target((request, index, res) => {
      if (request.method === 'GET') {
        res.writeHead(200, { 'content-type': contentType }).end(answer);
        return;
      }
      accept(request, index, res);
    });
    const config = defaultConfiguration(answering.url, 'load-token');
    return reconcile(config, lookupTemplate(config), ['GB10-ONE', 'GB10-TWO'], { connections: 2, timeoutMs: 2000 });
  }

  it('reads a lookup as verify does: a 200 that is not a JSON object or array is a lookup error, not a stored coupon', async () => {
    const result = await reconcileWhenLookupAnswers('text/plain', 'OK');
    expect(result).toMatchObject({ checked: 2, stored: 0, notStored: 0, lookupErrors: 2 });
    expect(result.firstError).toMatch(/answered 200 with something that is neither a JSON object nor an array/);
  });

  it.each([
    ['200 []', '[]'],
    ['200 {"error":"not found"}', '{"error":"not found"}'],
    ["200 with another code's coupon", '[{"couponCode":"GB10-OTHER"}]'],
  ])('counts a code as not stored when the lookup answers %s, as verify does', async (_name, answer) => {
    const result = await reconcileWhenLookupAnswers('application/json', answer);
    expect(result).toMatchObject({ checked: 2, stored: 0, notStored: 2, lookupErrors: 0 });
    expect([...result.missingCodes].sort()).toEqual(['GB10-ONE', 'GB10-TWO']);
  });
});
