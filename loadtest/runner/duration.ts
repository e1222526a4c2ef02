// Durations as k6 writes them (Go's time.ParseDuration): `30s`, `2m`, `1m30s`, `500ms`, `1.5h`.
import { UsageError } from '../../core/errors.ts';

const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000_001 };
const part = /(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|ns|h|m|s)/y;

/** Milliseconds in a k6 duration; a bare number is refused (k6 wants a unit too). */
export function parseDuration(text: string, option = 'duration'): number {
  const source = text.trim();
  let total = 0;
  part.lastIndex = 0;
  let matched = 0;
  while (part.lastIndex < source.length) {
    const start = part.lastIndex;
    const found = part.exec(source);
    if (!found || found.index !== start) {
      matched = -1;
      break;
    }
    total += Number(found[1]) * unitMs[found[2]!]!;
    matched++;
  }
  if (matched <= 0 || !Number.isFinite(total)) {
    throw new UsageError(`${option} takes a duration as k6 writes it, such as 30s, 2m, 1m30s or 500ms; got "${text}".`);
  }
  return total;
}

/** 90000 -> "1m30s": how a duration is printed back. */
export function formatDurationK6(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = Math.round(ms / 100) / 10;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = Math.round((totalSeconds - minutes * 60) * 10) / 10;
  if (minutes === 0) return `${seconds}s`;
  return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
}
