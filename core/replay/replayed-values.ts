// The values a recorded body was filled with, as the scenario values the renderer takes: the
// fields it knows typed as it types them, the coupon type turned back into Gameball's kind through
// couponMapping, and whatever it does not fill itself as extra placeholders, so that rendering the
// values again gives the recorded body.
import { type CouponConfiguration, couponKinds, type GameballCouponKind } from '../config/coupon-configuration.ts';
import { mappedCouponType } from '../config/default-configuration.ts';
import type { PlaceholderValue } from '../render/fill-template.ts';
import { placeholderValues } from '../render/render-delivery.ts';
import { type Scenario, scenarios, scenarioValues } from '../scenarios/scenarios.ts';

export interface ReplayedValues {
  couponKind: GameballCouponKind;
  values: Scenario['values'];
}

/** Placeholders that are another name of a value the renderer has (the facts file, section 3). */
const aliases: Record<string, string> = { amount: 'value', discount_type: 'couponType' };

export function replayedValues(
  config: CouponConfiguration,
  recorded: Readonly<Record<string, unknown>>,
): ReplayedValues {
  const base = scenarios[0]!;
  const values: Record<string, unknown> = structuredClone(base.values);
  const extra: Record<string, PlaceholderValue> = {};
  // What the renderer fills by itself; anything else travels as an extra placeholder.
  const filled = new Set(Object.keys(placeholderValues(config, scenarioValues(base, 'CODE'))));
  let couponKind = base.couponKind;
  for (const [name, value] of Object.entries(recorded)) {
    if (name === 'code') continue;
    const field = filled.has(name) ? name : aliases[name];
    if (field === 'couponType') {
      const kind = couponKinds.find((k) => mappedCouponType(config, k) === value);
      if (kind) couponKind = kind;
      if (!kind || !filled.has(name)) extra[name] = value as PlaceholderValue;
      continue;
    }
    const typed = field !== undefined && Object.hasOwn(values, field) ? sameKind(values[field], value) : undefined;
    if (typed !== undefined) values[field!] = typed;
    if (typed === undefined || !filled.has(name)) extra[name] = value as PlaceholderValue;
  }
  if (Object.keys(extra).length > 0) values.extra = extra;
  return { couponKind, values: values as Scenario['values'] };
}

/**
 * The recorded value in the type the scenario field has, when it renders the same: "10" for a
 * number field is 10, "10.50" is not (it would come out as 10.5). Undefined when it cannot be.
 */
function sameKind(example: unknown, value: unknown): unknown {
  if (typeof example === 'number' && typeof value === 'string' && value !== '' && String(Number(value)) === value) {
    return Number(value);
  }
  if (Array.isArray(example))
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  return typeof example === typeof value ? value : undefined;
}
