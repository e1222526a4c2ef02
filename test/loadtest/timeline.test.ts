// The load report's timeline and charts: one point a second, no point for the empty sliver between
// the last tick and the end of the run (it drew every chart down to 0 at the end), a short last
// interval charted as a rate, and no latency drawn for a second in which nothing was answered.
import { describe, expect, it } from 'vitest';
import { LoadMetrics } from '../../loadtest/runner/metrics.ts';

const answered = { answered: true, checksPassed: 3, checksTotal: 3, status: 200 };

function secondOf(metrics: LoadMetrics, requests: number, latencyMs: number): void {
  for (let i = 0; i < requests; i++) {
    metrics.recordSent();
    metrics.recordFinished(latencyMs, answered);
  }
}

describe('the load timeline', () => {
  it('keeps whole seconds, empty ones too, and drops the empty sliver at the end of a run', () => {
    const metrics = new LoadMetrics();
    secondOf(metrics, 200, 2);
    metrics.tick(1000);
    metrics.tick(2001); // a second in which nothing happened is still a point
    metrics.tick(2004); // the run ended 3 ms after the tick: nothing to show
    expect(metrics.timeline.map((p) => [p.second, p.sent, p.completed])).toEqual([
      [1, 200, 200],
      [2, 0, 0],
    ]);
  });

  it('keeps a short last interval that holds requests', () => {
    const metrics = new LoadMetrics();
    secondOf(metrics, 200, 2);
    metrics.tick(1000);
    secondOf(metrics, 60, 2);
    metrics.tick(1300);
    expect(metrics.timeline.map((p) => [p.second, p.sent])).toEqual([
      [1, 200],
      [1.3, 60],
    ]);
  });
});
