// The customer waits in the widget while Gameball calls the endpoint.

import { type Check, fail, pass, skip } from './check.ts';
import { summariseLatency } from './latency-summary.ts';

export const latency: Check = {
  id: 'latency',
  title: 'p95 latency over the run is within the budget',
  dependsOn: ['accepted'],
  async run(context) {
    const summary = summariseLatency(context.exchanges(), context.latencyBudgetMs);
    if (summary.samples === 0) return skip('No requests were sent, so there is no latency to judge.');
    const figures = `p50 ${summary.p50} ms, p95 ${summary.p95} ms, p99 ${summary.p99} ms over ${summary.samples} requests`;
    if (summary.p95 > context.latencyBudgetMs) {
      const slowest = [...context.exchanges()].sort((a, b) => b.durationMs - a.durationMs)[0];
      return fail(
        'latency-over-budget',
        `${figures}: p95 is over the budget of ${context.latencyBudgetMs} ms.`,
        ...(slowest ? [slowest] : []),
      );
    }
    return pass(`${figures} (budget ${context.latencyBudgetMs} ms).`);
  },
};
