// The stand-in's dates: stored as ISO strings, compared as instants (never as strings: past year
// 9999 an ISO string gains a sign and six digits, and "+010000-..." sorts before "2026-..."), and
// computed within bounds, so that no request can produce a date JavaScript cannot write.
import { invalidValue } from './errors.ts';

/** The furthest POST /__gb/clock/advance can move the stand-in's clock ahead of the real one: 100 years. */
export const maxClockAheadSeconds = 3_155_760_000;

/** The latest date the stand-in computes: the last instant of year 9999. */
const latestMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** `ms` after `now` as an ISO string; a 3003 naming `what` when that is past year 9999. */
export function isoAfter(now: Date, ms: number, what: string): string {
  const at = now.getTime() + ms;
  if (!Number.isFinite(at) || at > latestMs) {
    throw invalidValue(`Invalid value for ${what}: it reaches past the year 9999.`);
  }
  return new Date(at).toISOString();
}

/** True when the ISO date is at or before `now`. */
export function isPast(iso: string, now: Date): boolean {
  return Date.parse(iso) <= now.getTime();
}

/** Newest first, by the instants the ISO strings name. */
export function newestFirst(a: string, b: string): number {
  return Date.parse(b) - Date.parse(a);
}
