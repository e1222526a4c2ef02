// The live line on a terminal, rewritten once a second: elapsed, rate, p95, failures, dropped.
// Nothing at all when the output is not a terminal (CI logs get the summary only).
import type { LoadProgress } from './load-test-options.ts';
import { ms } from './summary-text.ts';

export interface ProgressLine {
  update(progress: LoadProgress): void;
  /** Clears the line before the summary is printed. */
  end(): void;
}

export function createProgressLine(stream: NodeJS.WriteStream): ProgressLine {
  if (!stream.isTTY) return { update: () => undefined, end: () => undefined };
  let lastSent = 0;
  let lastAt = 0;
  let shown = false;
  return {
    update({ elapsedMs, plannedMs, sent, p95Ms, failures, dropped }) {
      const rate = ((sent - lastSent) * 1000) / Math.max(elapsedMs - lastAt, 1);
      lastSent = sent;
      lastAt = elapsedMs;
      const line = `  ${(elapsedMs / 1000).toFixed(0)}s/${(plannedMs / 1000).toFixed(0)}s  ${rate.toFixed(0)}/s  p95 ${ms(p95Ms)}  failures ${failures}  dropped ${dropped}  (${sent} sent)`;
      stream.write(`\r\u001b[2K${line}`);
      shown = true;
    },
    end() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
