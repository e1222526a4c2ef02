// `--mix redeem=3,campaign=1`: which scenarios the load is made of, by weight. The k6 scripts read
// the same syntax (MIX) and pick the same way, so one seed gives the same requests in both.
import { commaList } from '../../core/comma-list.ts';
import { UsageError } from '../../core/errors.ts';
import { findScenario, type Scenario } from '../../core/scenarios/scenarios.ts';

export interface MixEntry {
  scenario: Scenario;
  weight: number;
}

/** The mix when none is given: the two stories of a campaign's end, three redemptions to one award. */
export const defaultMix = 'redeem=3,campaign=1';

export function parseMix(text: string): MixEntry[] {
  const entries = commaList(text).map((entry) => {
    const [id, weightText, ...rest] = entry.split('=');
    const weight = weightText === undefined ? 1 : Number(weightText);
    if (rest.length > 0 || !id || (weightText !== undefined && !/^\d+$/.test(weightText.trim())) || weight < 0) {
      throw new UsageError(
        `--mix takes scenario=weight pairs separated by commas, such as redeem=3,campaign=1; "${entry}" is not one.`,
      );
    }
    return { scenario: findScenario(id.trim()), weight };
  });
  if (entries.length === 0 || entries.every((e) => e.weight === 0)) {
    throw new UsageError('--mix needs at least one scenario with a weight above 0, such as redeem=3,campaign=1.');
  }
  const ids = entries.map((e) => e.scenario.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new UsageError(`--mix names ${repeated} twice; give each scenario once.`);
  return entries;
}

/** The scenario for a draw in [0, 1): cumulative weights in the order the mix was written. */
export function pickFromMix(mix: readonly MixEntry[], draw: number): Scenario {
  const total = mix.reduce((sum, e) => sum + e.weight, 0);
  let point = draw * total;
  for (const entry of mix) {
    if (point < entry.weight) return entry.scenario;
    point -= entry.weight;
  }
  return mix.findLast((e) => e.weight > 0)!.scenario;
}
