// The deliveries verify replays (and trigger, the stand-in and the load runner send). Each scenario
// is a JSON file beside this one: adding a
// scenario is adding a file. Codes are not in the files: every delivery gets a fresh code from
// the run's seeded generator, so runs are repeatable under --seed and codes are unique per run.
import { readdirSync, readFileSync } from 'node:fs';
import { describeErrors, problemLines, schemaValidator } from '../../openapi/contract.ts';
import type { components } from '../../openapi/generated/gameball.ts';
import {
  type CouponConfiguration,
  couponKinds,
  enableFlagOf,
  type GameballCouponKind,
} from '../config/coupon-configuration.ts';
import { defaultCouponMapping } from '../config/default-configuration.ts';
import { UsageError } from '../errors.ts';
import type { CouponValues } from '../render/render-delivery.ts';

export interface Scenario {
  id: string;
  title: string;
  couponKind: GameballCouponKind;
  codePrefix: string;
  values: Omit<CouponValues, 'couponKind' | 'code'>;
  /**
   * Codes a fresh code must never be: a replayed cassette's (core/replay), the coupons its
   * recording created, so that a replay never collides with them (whatever the seed). One set
   * shared by every scenario of the cassette.
   */
  avoidCodes?: ReadonlySet<string>;
}

const folder = new URL('./', import.meta.url);
/** Generated codes are PREFIX-XXXXXXXXXX: this many characters after the dash. */
const codeSuffixLength = 10;

function loadScenarios(): Scenario[] {
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.map((file) => parseScenario(JSON.parse(readFileSync(new URL(file, folder), 'utf8')), file));
}

const validateDelivery = schemaValidator<components['schemas']['CouponDelivery']>('gameball', 'CouponDelivery');

/**
 * A scenario file as a Scenario, or an Error naming the file and what is wrong (a broken file is a
 * bug in the kit). Its values, with a code of the shape the run generates and the default mapping's
 * couponType, must be a delivery the contract accepts.
 */
export function parseScenario(raw: unknown, file: string): Scenario {
  const invalid = (why: string): Error => new Error(`core/scenarios/${file} is not a valid scenario: ${why}.`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('it is not a JSON object');
  const { id, title, couponKind, codePrefix, values } = raw as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') throw invalid('id must be a non-empty string');
  if (typeof title !== 'string' || title === '') throw invalid('title must be a non-empty string');
  const kind = couponKinds.find((k) => k === couponKind);
  if (!kind) throw invalid(`couponKind must be one of ${couponKinds.join(', ')}`);
  if (typeof codePrefix !== 'string') throw invalid('codePrefix must be a string');
  if (values === null || typeof values !== 'object' || Array.isArray(values)) throw invalid('values must be an object');
  const sample = {
    ...values,
    code: `${codePrefix}-${'X'.repeat(codeSuffixLength)}`,
    couponType: defaultCouponMapping[kind],
  };
  if (!validateDelivery(sample)) {
    throw invalid(problemLines(describeErrors(validateDelivery.errors), '(values)').join('; '));
  }
  const { code: _code, couponType: _couponType, ...fields } = sample;
  return { id, title, couponKind: kind, codePrefix, values: fields };
}

/** Every scenario, in a stable order: the seed's two stories first. */
export const scenarios: readonly Scenario[] = (() => {
  const order = ['redeem', 'campaign', 'free-shipping', 'free-product', 'test-connection'];
  return loadScenarios().sort((a, b) => rank(a.id) - rank(b.id));
  function rank(id: string): number {
    const i = order.indexOf(id);
    return i === -1 ? order.length : i;
  }
})();

export function findScenario(id: string): Scenario {
  const scenario = scenarios.find((s) => s.id === id);
  if (!scenario) {
    throw new UsageError(`Unknown scenario "${id}". The scenarios are: ${scenarios.map((s) => s.id).join(', ')}.`);
  }
  return scenario;
}

/** The scenario's values for one delivery under `code` (a copy: checks may change it). */
export function scenarioValues(scenario: Scenario, code: string): CouponValues {
  return { couponKind: scenario.couponKind, code, ...structuredClone(scenario.values) };
}

/** Whether Gameball would send this scenario's coupon type under the configuration. */
export function isEnabled(config: CouponConfiguration, scenario: Scenario): boolean {
  return config[enableFlagOf[scenario.couponKind]] !== false;
}

/** A seed for a run that was given none; reports print it so the run can be repeated. */
export const randomSeed = (): number => Math.floor(Math.random() * 2 ** 31);

/** A small, fast, seedable generator (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** One code shaped like Gameball's (PREFIX-XXXXXXXXXX): ten draws from the alphabet. */
export function drawCode(random: () => number, prefix: string): string {
  let suffix = '';
  for (let i = 0; i < codeSuffixLength; i++) suffix += alphabet[Math.floor(random() * alphabet.length)];
  return `${prefix}-${suffix}`;
}

/** Whether a code is one the scenarios must never send (their avoidCodes); false for the built-in ones. */
export function avoidedBy(scenarios: readonly Scenario[]): (code: string) => boolean {
  const sets = [...new Set(scenarios.flatMap((s) => (s.avoidCodes ? [s.avoidCodes] : [])))];
  if (sets.length === 0) return () => false;
  return (code) => sets.some((set) => set.has(code));
}

/** Codes shaped like Gameball's (PREFIX-XXXXXXXXXX), never twice in one generator's life, never an avoided one. */
export function codeGenerator(
  random: () => number,
  avoided: (code: string) => boolean = () => false,
): (prefix: string) => string {
  const issued = new Set<string>();
  return (prefix) => {
    for (;;) {
      const code = drawCode(random, prefix);
      if (!issued.has(code) && !avoided(code)) {
        issued.add(code);
        return code;
      }
    }
  };
}
