// Double of the `k6` module: check() runs every named predicate and records its outcome.
import { recorded } from './recorder.ts';

export function check<T>(value: T, checks: Record<string, (value: T) => boolean>): boolean {
  let all = true;
  for (const [name, predicate] of Object.entries(checks)) {
    const ok = Boolean(predicate(value));
    recorded.checks.push({ name, ok });
    all &&= ok;
  }
  return all;
}
