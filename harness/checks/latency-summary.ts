// Latency of a run, summarised with an HDR histogram (microsecond resolution, 3 significant digits).
import hdr from 'hdr-histogram-js';
import type { LatencySummary } from '../report/types.ts';
import type { RecordedExchange } from './check.ts';

const round = (ms: number): number => Math.round(ms * 10) / 10;

export function summariseLatency(
  exchanges: readonly RecordedExchange[],
  budgetMs: number,
  runStartedAt = exchanges[0]?.startedAt ?? 0,
): LatencySummary {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, autoResize: true });
  for (const exchange of exchanges) histogram.recordValue(Math.max(1, Math.round(exchange.durationMs * 1000)));
  const max = exchanges.length ? round(Math.max(...exchanges.map((e) => e.durationMs))) : 0;
  // HDR reports a bucket's upper edge; never let a percentile exceed the largest value seen.
  const at = (percentile: number): number =>
    exchanges.length ? Math.min(max, round(histogram.getValueAtPercentile(percentile) / 1000)) : 0;
  const summary: LatencySummary = {
    samples: exchanges.length,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max,
    budgetMs,
    timeline: exchanges.map((e) => ({
      atMs: round(e.startedAt - runStartedAt),
      durationMs: round(e.durationMs),
      status: e.response?.status ?? null,
      checkId: e.checkId,
    })),
  };
  histogram.destroy();
  return summary;
}
