// Thresholds parse as k6 parses them, and the pieces of the load plan (durations, stages, mix) read
// k6's syntax or refuse it by name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { arrivalTimes, constantPlan, parseStages, plannedCount } from '../../loadtest/runner/arrivals.ts';
import { parseDuration } from '../../loadtest/runner/duration.ts';
import { parseMix, pickFromMix } from '../../loadtest/runner/mix.ts';
import {
  compare,
  defaultThresholdsFile,
  evaluateThresholds,
  type MetricReader,
  parseThreshold,
  parseThresholds,
} from '../../loadtest/runner/thresholds.ts';

describe('k6 threshold expressions', () => {
  it.each([
    ['http_req_duration', 'avg<100', 'avg', undefined, '<', 100],
    ['http_req_duration', 'min>=1', 'min', undefined, '>=', 1],
    ['http_req_duration', 'max<=2000', 'max', undefined, '<=', 2000],
    ['http_req_duration', 'med < 50', 'med', undefined, '<', 50],
    ['http_req_duration', 'p(95)<250', 'percentile', 95, '<', 250],
    ['http_req_duration', 'p(99.9) < 1e3', 'percentile', 99.9, '<', 1000],
    ['http_req_failed', 'rate<0.001', 'rate', undefined, '<', 0.001],
    ['checks', 'rate>0.999', 'rate', undefined, '>', 0.999],
    ['dropped_iterations', 'count<1', 'count', undefined, '<', 1],
    ['http_reqs', 'rate>100', 'rate', undefined, '>', 100],
    ['http_reqs', 'count==500', 'count', undefined, '==', 500],
    ['iterations', 'count===500', 'count', undefined, '===', 500],
    ['coupons_not_stored', 'count!=3', 'count', undefined, '!=', 3],
  ])('%s: %s', (metric, expression, aggregation, percentile, operator, value) => {
    const threshold = parseThreshold(metric, expression);
    expect(threshold).toMatchObject({ metric, expression, aggregation, operator, value });
    expect(threshold.percentile).toBe(percentile);
  });

  it.each([
    ['<', 1, 2, true],
    ['<', 2, 2, false],
    ['<=', 2, 2, true],
    ['<=', 3, 2, false],
    ['>', 3, 2, true],
    ['>', 2, 2, false],
    ['>=', 2, 2, true],
    ['>=', 1, 2, false],
    ['==', 2, 2, true],
    ['==', 1, 2, false],
    ['===', 2, 2, true],
    ['!=', 1, 2, true],
    ['!=', 2, 2, false],
  ] as const)('%s compares %d with %d as %s', (operator, observed, limit, expected) => {
    expect(compare(observed, operator, limit)).toBe(expected);
  });

  it.each([
    ['http_req_duration', 'p95<250', /Invalid threshold "p95<250" for http_req_duration/],
    ['http_req_duration', 'p(95)=<250', /Invalid threshold/],
    ['http_req_duration', 'p(101)<250', /percentile must be a number from 0 to 100/],
    ['http_req_duration', 'p(abc)<250', /percentile must be a number/],
    ['http_req_duration', 'rate<0.1', /rate does not apply to http_req_duration, a trend metric/],
    ['http_req_failed', 'p(95)<1', /does not apply to http_req_failed, a rate metric \(it takes rate\)/],
    ['checks', 'count>1', /count does not apply to checks/],
    ['dropped_iterations', 'avg<1', /avg does not apply to dropped_iterations, a counter metric/],
    ['http_reqs', 'value>1', /value does not apply/],
    ['http_req_duration', 'p(95)<fast', /"fast" is not a number/],
    ['http_req_duration', 'p(95)<', /Invalid threshold/],
    ['http_req_duration', '', /Invalid threshold/],
    ['http_req_durations', 'p(95)<250', /Unknown metric "http_req_durations".*http_req_duration/],
    ['http_req_duration{scenario:redeem}', 'p(95)<250', /Sub-metrics with tags are not supported/],
  ])('refuses %s: "%s"', (metric, expression, message) => {
    expect(() => parseThreshold(metric, expression)).toThrow(UsageError);
    expect(() => parseThreshold(metric, expression)).toThrow(message);
  });

  it("reads k6's options.thresholds object, strings and {threshold, abortOnFail, delayAbortEval}", () => {
    const thresholds = parseThresholds({
      http_req_duration: ['p(95)<250', { threshold: 'p(99)<500', abortOnFail: true, delayAbortEval: '10s' }],
      checks: 'rate>0.99',
    });
    expect(thresholds.map((t) => `${t.metric} ${t.expression}`)).toEqual([
      'http_req_duration p(95)<250',
      'http_req_duration p(99)<500',
      'checks rate>0.99',
    ]);
    expect(thresholds[1]).toMatchObject({ abortOnFail: true, delayAbortEvalMs: 10_000 });
    expect(() => parseThresholds(['p(95)<250'])).toThrow(/must be a JSON object of metric/);
    expect(() => parseThresholds({ checks: [42] })).toThrow(/must be expressions such as/);
    expect(() => parseThresholds({ checks: [{ threshold: 'rate>0.9', abortOnFail: 'yes' }] })).toThrow(
      /abortOnFail for checks/,
    );
    expect(() => parseThresholds({ checks: [{ threshold: 'rate>0.9', gracePeriod: 1 }] })).toThrow(
      /unknown fields \(gracePeriod\)/,
    );
  });

  it('evaluates each aggregation on the metrics it names', () => {
    const reader: MetricReader = {
      trend: (_m, aggregation, p) => ({ avg: 10, min: 1, max: 90, med: 8, percentile: p ?? 0 })[aggregation],
      rate: (metric) => (metric === 'checks' ? 0.5 : 200),
      count: () => 3,
    };
    const results = evaluateThresholds(
      parseThresholds({
        http_req_duration: ['avg<11', 'min>1', 'max<=90', 'med==8', 'p(95)<95'],
        checks: ['rate>0.999'],
        http_reqs: ['rate>100'],
        dropped_iterations: ['count<1'],
      }),
      reader,
    );
    expect(results.map((r) => [r.expression, r.ok, r.value])).toEqual([
      ['avg<11', true, 10],
      ['min>1', false, 1],
      ['max<=90', true, 90],
      ['med==8', true, 8],
      ['p(95)<95', false, 95],
      ['rate>0.999', false, 0.5],
      ['rate>100', true, 200],
      ['count<1', false, 3],
    ]);
  });

  it("takes k6's data_sent and data_received as counters (count and bytes per second)", () => {
    const parsed = parseThresholds({ data_sent: ['count>0'], data_received: ['rate<1000000'] });
    expect(parsed.map((t) => [t.metric, t.aggregation])).toEqual([
      ['data_sent', 'count'],
      ['data_received', 'rate'],
    ]);
    expect(() => parseThresholds({ data_received: ['p(95)<10'] })).toThrow(/data_received, a counter metric/);
  });

  it('the shipped loadtest/thresholds.json parses', () => {
    const document = JSON.parse(readFileSync(defaultThresholdsFile, 'utf8')) as unknown;
    expect(parseThresholds(document).length).toBeGreaterThanOrEqual(4);
  });
});

describe('k6 durations, stages and the mix', () => {
  it.each([
    ['30s', 30_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['1h2m3s', 3_723_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['30', 's', '1x', '-1s', '1m 30s', ''])('refuses "%s"', (text) => {
    expect(() => parseDuration(text, '--duration')).toThrow(/--duration takes a duration as k6 writes it/);
  });

  it('stages ramp linearly like ramping-arrival-rate, and a constant rate spaces requests evenly', () => {
    expect(parseStages('10s:100, 30s:500,10s:0')).toEqual([
      { durationMs: 10_000, target: 100 },
      { durationMs: 30_000, target: 500 },
      { durationMs: 10_000, target: 0 },
    ]);
    expect(() => parseStages('10s-100')).toThrow(/duration:rate pairs/);
    expect(() => parseStages('10:100')).toThrow(/k6 writes it/);
    const ramp = { startRate: 0, stages: [{ durationMs: 2000, target: 100 }] };
    expect(plannedCount(ramp)).toBe(100);
    const due = arrivalTimes(ramp);
    const times: number[] = [];
    for (let t = due(); t !== undefined; t = due()) times.push(t);
    expect(times).toHaveLength(100);
    // Half the requests of a linear ramp from 0 fall in the last 29% of it (1 - 1/sqrt(2)).
    expect(times[50]!).toBeCloseTo(2000 / Math.SQRT2, 0);
    const constant = arrivalTimes(constantPlan(200, 1000));
    expect([constant(), constant(), constant()]).toEqual([0, 5, 10]);
  });

  it('mixes scenarios by weight and names the ones it does not know', () => {
    const mix = parseMix('redeem=3,campaign=1');
    expect(mix.map((e) => [e.scenario.id, e.weight])).toEqual([
      ['redeem', 3],
      ['campaign', 1],
    ]);
    expect(pickFromMix(mix, 0.74).id).toBe('redeem');
    expect(pickFromMix(mix, 0.76).id).toBe('campaign');
    expect(() => parseMix('redeem=3,bogus=1')).toThrow(/Unknown scenario "bogus"/);
    expect(() => parseMix('redeem=x')).toThrow(/scenario=weight pairs/);
    expect(() => parseMix('redeem=0')).toThrow(/weight above 0/);
    expect(() => parseMix('redeem=1,redeem=2')).toThrow(/names redeem twice/);
  });
});
