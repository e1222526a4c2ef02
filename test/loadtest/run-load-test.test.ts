// runLoadTest as a library user calls it (gameball-coupon-kit/load), against small real targets on
// 127.0.0.1: an expected outcome (a crossed threshold, an unreachable target) is a report, never an
// exception; a bad option is a UsageError before anything is sent; the thresholds judged are the
// file's, then the given ones, then reconciliation's, the same on every run of a prepared test.
import { describe, expect, it } from 'vitest';
import { defaultConfiguration } from '../../core/config/default-configuration.ts';
import { UsageError } from '../../core/errors.ts';
import { type LoadTestOptions, loadExitCode, prepareLoadTest, runLoadTest } from '../../loadtest/index.ts';
import { accept, storing, targetsClosedAfterEach } from './support/targets.ts';

const target = targetsClosedAfterEach();

/** 20 requests in 200 ms, no shipped thresholds (a test does not time performance). */
function small(url: string, overrides: Partial<LoadTestOptions> = {}): LoadTestOptions {
  return {
    configuration: defaultConfiguration(url, 'load-token'),
    load: { rate: 100, durationMs: 200 },
    connections: 20,
    seed: 11,
    thresholdsFile: false,
    ...overrides,
  };
}

const expressions = (thresholds: readonly { metric: string; expression: string }[]): string[] =>
  thresholds.map((t) => `${t.metric} ${t.expression}`);

describe('runLoadTest', () => {
  it('resolves to a report that passes when every threshold holds', async () => {
    const fast = await target(accept);
    const report = await runLoadTest(small(fast.url, { thresholds: { checks: ['rate>0.999'] } }));
    expect(report).toMatchObject({ requests: 20, errors: 0, passed: true, seed: 11 });
    expect(report.target).toEqual({ url: fast.url, method: 'POST', embedded: false, codeMode: 'gameball' });
    expect(report.load).toMatchObject({ model: 'open', connections: 20, mix: { redeem: 3, campaign: 1 } });
    expect(expressions(report.thresholds)).toEqual(['checks rate>0.999']);
    expect(loadExitCode(report)).toBe(0);
  });

  it('a crossed threshold is a report with passed: false, not an exception', async () => {
    const failing = await target((_request, _index, res) => res.writeHead(500).end('boom'));
    const report = await runLoadTest(small(failing.url, { thresholds: { http_req_failed: 'rate<0.01' } }));
    expect(report.passed).toBe(false);
    expect(report.failures.statuses).toEqual({ '500': 20 });
    expect(loadExitCode(report)).toBe(99);
  });

  it('an unreachable target is a report too (k6 exit 1)', async () => {
    const gone = await target(accept);
    await gone.close();
    const report = await runLoadTest(small(gone.url));
    expect(report.failures.connectionErrors).toBe(20);
    expect(loadExitCode(report)).toBe(1);
  });

  it("judges the file's thresholds, then the given ones, then reconciliation's, the same on every run", async () => {
    const keeps = await target(storing(new Set()));
    // The shipped thresholds file, as when none is named.
    const test = await prepareLoadTest({
      load: { rate: 100, durationMs: 200 },
      connections: 20,
      thresholds: { data_sent: ['count>0'] },
      reconcile: true,
    });
    const planned = ['http_req_duration p(95)<250', 'http_req_duration p(99)<500', 'http_req_failed rate<0.001'];
    planned.push('checks rate>0.999', 'dropped_iterations count<1', 'data_sent count>0', 'coupons_not_stored count<1');
    expect(expressions(test.thresholds)).toEqual(planned);
    const first = await test.run({ configuration: defaultConfiguration(keeps.url, 'load-token') });
    const second = await test.run({ configuration: defaultConfiguration(keeps.url, 'load-token') });
    expect(expressions(first.thresholds)).toEqual(planned);
    expect(expressions(second.thresholds)).toEqual(planned);
    expect(expressions(test.thresholds)).toEqual(planned);
    expect(second.reconcile).toMatchObject({ checked: 20, stored: 20, notStored: 0 });
    expect(second.thresholds.at(-1)).toMatchObject({ ok: true, value: 0 });
  });

  it('an interrupted run is not reconciled, and coupons_not_stored is not judged', async () => {
    const fast = await target(accept);
    const stop = new AbortController();
    const report = await runLoadTest(
      small(fast.url, {
        load: { rate: 50, durationMs: 60_000 },
        reconcile: true,
        signal: stop.signal,
        onStart: () => stop.abort(),
      }),
    );
    expect(report.stoppedBy).toEqual({ reason: 'interrupted' });
    expect(report.reconcile).toBeUndefined();
    expect(report.thresholds).toEqual([]);
  });

  it.each<[string, Partial<LoadTestOptions>, RegExp]>([
    ['no connection', { connections: 0 }, /connections must be a whole number from 1 to 10000/],
    ['a negative rate', { load: { rate: -1, durationMs: 1000 } }, /load\.rate must be a number above 0/],
    ['no stages', { load: { stages: [] } }, /load\.stages needs at least one stage/],
    ['an unknown scenario', { mix: { redeem: 1, nope: 1 } }, /Unknown scenario "nope"/],
    ['an invalid threshold', { thresholds: { http_req_duration: ['p95<250'] } }, /Invalid threshold "p95<250"/],
    ['a lookup without {code}', { reconcile: { lookup: 'https://shop.example/coupons' } }, /with \{code\}/],
    ['a configuration that is not one', { configuration: { url: 'nope' } }, /not a valid Gameball coupon/],
  ])('refuses %s with a UsageError before sending anything', async (_name, overrides, message) => {
    const untouched = await target(accept);
    const run = runLoadTest(small(untouched.url, overrides));
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
    expect(untouched.requests).toEqual([]);
  });

  it('refuses a mix naming a scenario the configuration disables', async () => {
    const untouched = await target(accept);
    const configuration = { ...defaultConfiguration(untouched.url, 'load-token'), enableFreeShipping: false };
    const run = runLoadTest(small(untouched.url, { configuration, mix: 'redeem=1,free-shipping=1' }));
    await expect(run).rejects.toThrow(/disables/);
    expect(untouched.requests).toEqual([]);
  });
});
