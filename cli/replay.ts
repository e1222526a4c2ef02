// --replay CASSETTE (verify, load) and --replay CASSETTE#N (trigger): the cassette read before
// anything starts, its deliveries turned into scenarios once the configuration is known
// (core/replay), and what the replay folded or skipped said once.
import { type CassetteReading, readCassette } from '../core/cassette/cassette-reader.ts';
import type { CouponConfiguration } from '../core/config/coupon-configuration.ts';
import { UsageError } from '../core/errors.ts';
import { type ReplayPlan, replayScenarios } from '../core/replay/replay-scenarios.ts';

export interface Recorded {
  file: string;
  /** The one delivery to replay (`#N`), when named. */
  seq?: number;
  reading: CassetteReading;
}

/** Reads `FILE` or `FILE#N`; `#N` only where one delivery is sent (trigger). */
export async function readRecorded(text: string, option: string, allowOne: boolean): Promise<Recorded> {
  const match = /^(.*)#(\d+)$/.exec(text);
  if (match && !allowOne) {
    throw new UsageError(`${option} takes a cassette; #N picks one delivery, which only gb-coupon trigger sends.`);
  }
  const file = match ? match[1]! : text;
  const seq = match ? Number(match[2]) : undefined;
  if (file === '')
    throw new UsageError(`${option} takes a cassette file, such as gb-coupon.cassette.jsonl#3; got "${text}".`);
  return { file, ...(seq !== undefined ? { seq } : {}), reading: await readCassette(file) };
}

/** The recorded deliveries as scenarios of this configuration; notes go to `say`. */
export function replayPlan(recorded: Recorded, config: CouponConfiguration, say: (line: string) => void): ReplayPlan {
  const plan = replayScenarios(recorded.reading.exchanges, config, recorded.seq);
  const count = plan.weights.reduce((sum, weight) => sum + weight, 0);
  const which = plan.scenarios.map((s) => s.id.replace('replay-', '#'));
  say(
    `Replaying ${count} recorded deliver${count === 1 ? 'y' : 'ies'} from ${recorded.file} (${which.slice(0, 12).join(', ')}${which.length > 12 ? ', …' : ''}), each with a fresh code`,
  );
  for (const note of [...recorded.reading.problems, ...plan.notes]) say(`  note: ${note}`);
  return plan;
}
