// Latency of a run, summarised with an HDR histogram (microsecond resolution, 3 significant digits).
import hdr from 'hdr-histogram-js';
import { round } from '../../core/round.ts';
import type { LatencySummary } from '../report/types.ts';
import type { RecordedExchange } from './check.ts';

/** Milliseconds to a tenth. */
const tenths = (ms: number): number => round(ms, 1);

export function summariseLatency(
  exchanges: readonly RecordedExchange[],
  budgetMs: number,
  runStartedAt = exchanges[0]?.startedAt ?? 0,
): LatencySummary {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, autoResize: true });
  for (const exchange of exchanges) histogram.recordValue(Math.max(1, Math.round(exchange.durationMs * 1000)));
  const max = exchanges.length ? tenths(Math.max(...exchanges.map((e) => e.durationMs))) : 0;
  // HDR reports a bucket's upper edge; never let a percentile exceed the largest value seen.
  const at = (percentile: number): number =>
    exchanges.length ? Math.min(max, tenths(histogram.getValueAtPercentile(percentile) / 1000)) : 0;
  const summary: LatencySummary = {
    samples: exchanges.length,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max,
    budgetMs,
    timeline: exchanges.map((e) => ({
      atMs: tenths(e.startedAt - runStartedAt),
      durationMs: tenths(e.durationMs),
      status: e.response?.status ?? null,
      checkId: e.checkId,
      ...(e.instance ? { instance: e.instance } : {}),
    })),
  };
  histogram.destroy();
  return summary;
}
