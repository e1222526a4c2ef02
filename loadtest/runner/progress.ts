// The live line on a terminal, rewritten once a second: elapsed, rate, p95, failures, dropped.
// Nothing at all when the output is not a terminal (CI logs get the summary only).
import type { LoadMetrics } from './metrics.ts';
import { ms } from './summary-text.ts';

interface ProgressLine {
  update(metrics: LoadMetrics, elapsedMs: number): void;
  /** Clears the line before the summary is printed. */
  end(): void;
}

export function createProgressLine(stream: NodeJS.WriteStream, plannedMs: number): ProgressLine {
  if (!stream.isTTY) return { update: () => undefined, end: () => undefined };
  let lastSent = 0;
  let lastAt = 0;
  let shown = false;
  return {
    update(metrics, elapsedMs) {
      const rate = ((metrics.sent - lastSent) * 1000) / Math.max(elapsedMs - lastAt, 1);
      lastSent = metrics.sent;
      lastAt = elapsedMs;
      const line = `  ${(elapsedMs / 1000).toFixed(0)}s/${(plannedMs / 1000).toFixed(0)}s  ${rate.toFixed(0)}/s  p95 ${ms(metrics.percentile(95))}  failures ${metrics.failures}  dropped ${metrics.dropped}  (${metrics.sent} sent)`;
      stream.write(`\r\u001b[2K${line}`);
      shown = true;
    },
    end() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
