// What each field of the recorded bodies is: which of Gameball's documented placeholders fills it,
// judged from what changes between deliveries, what the endpoint answered and the field's name,
// with how sure the judgement is. The documented placeholders are {{code}}, {{playerUniqueId}},
// {{value}} (alias {{amount}}) and {{discount_type}} (the facts file, section 3); the kit's own
// extension names are used only where a field carries one of them as its name.
import { isDeepStrictEqual } from 'node:util';
import { parsePointer } from '../../openapi/json-pointer.ts';
import { placeholderValues } from '../render/render-delivery.ts';
import { scenarios, scenarioValues } from '../scenarios/scenarios.ts';
import type { AlignedField } from './body-fields.ts';

export type Confidence = 'high' | 'medium' | 'low';

export interface FieldMeaning {
  pointer: string;
  /** The placeholder that fills it; undefined: a constant, kept as recorded in the first delivery. */
  placeholder?: string;
  confidence: Confidence;
  note: string;
}

/** The placeholders Gameball documents (the facts file, section 3). */
export const documentedPlaceholders: readonly string[] = ['code', 'playerUniqueId', 'value', 'amount', 'discount_type'];

/** The kit's own placeholders (not documented by Gameball): what the renderer fills besides those. */
export const kitOwnPlaceholders: readonly string[] = Object.keys(
  placeholderValues({ url: 'https://shop.invalid/coupons', method: 'POST' }, scenarioValues(scenarios[0]!, 'CODE')),
).filter((name) => !documentedPlaceholders.includes(name));

const codeKey = /^(coupon[_-]?)?code$/i;
const customerKey = /player|customer|user|member|client|account/i;
const customerExact = /^(playerUniqueId|playerId|player_id|customerId|customer_id)$/i;
const idKey = /^(unique[_-]?)?id$/i;
const customerOwner = /^(player|customer|user|member)([_-]?(info|details|data))?$/i;
const valueKey = /^(value|amount|discount|discount[_-]?value|discountValue)$/i;
const typeKey = /type|kind/i;
const typeNames = /percent|fixed|ship|deliver|product|custom/i;

/** Each field's meaning, in field order; a placeholder goes to two fields only when they always agree. */
export function nameFields(
  fields: readonly AlignedField[],
  answerCodes: readonly (string | undefined)[],
): FieldMeaning[] {
  const taken = new Map<string, unknown[]>();
  return fields.map((field) => {
    const total = field.values.length;
    if (field.present < total) {
      return {
        pointer: field.pointer,
        confidence: 'low',
        note: `present in ${field.present} of ${total} deliveries; kept as in the first delivery that has it`,
      };
    }
    for (const guess of guesses(field, answerCodes)) {
      const earlier = taken.get(guess.placeholder);
      if (earlier && !isDeepStrictEqual(earlier, field.values)) continue;
      taken.set(guess.placeholder, field.values);
      return { pointer: field.pointer, ...guess };
    }
    return constant(field);
  });
}

type Guess = Required<Omit<FieldMeaning, 'pointer'>>;

/** The placeholders that could fill the field, most likely first. */
function guesses(field: AlignedField, answerCodes: readonly (string | undefined)[]): Guess[] {
  const { key, values, varies } = field;
  const strings = values.every((value) => typeof value === 'string');
  const found: Guess[] = [];
  const answered = answerCodes.flatMap((code, i) => (code === undefined ? [] : [i]));
  if (strings && answered.length > 0 && answered.every((i) => values[i] === answerCodes[i])) {
    const note = `equals the code the endpoint answered with, in ${answered.length} of ${answered.length} deliveries that answered with one`;
    found.push({ placeholder: 'code', confidence: 'high', note });
  } else if (strings && codeKey.test(key) && (varies || values.length === 1)) {
    found.push({ placeholder: 'code', confidence: 'medium', note: 'named like a code and different in each delivery' });
  }
  // A nested id names its owner one level up: {"customer": {"id": "{{playerUniqueId}}"}}, for an
  // owner that is a customer by name. A name only like one (accountId, clientRef) must change
  // between deliveries: a fixed account or client id is not the customer's.
  const owner = parsePointer(field.pointer).at(-2) ?? '';
  const ownedId = idKey.test(key) && customerOwner.test(owner);
  const exact = customerExact.test(key) || ownedId;
  if (strings && (exact || (customerKey.test(key) && (varies || values.length === 1)))) {
    const note = `named like a customer id${varies ? '' : ' (the same customer in every delivery)'}`;
    found.push({ placeholder: 'playerUniqueId', confidence: exact && varies ? 'high' : 'medium', note });
  }
  if (valueKey.test(key) && values.every(isNumberLike)) {
    const form = strings ? 'a number in quotes, as Gameball fills "{{value}}"' : 'a number';
    const note = `the discount value (${form}); {{amount}} is the same value under the tutorial's name, which the traffic cannot tell apart`;
    found.push({ placeholder: 'value', confidence: varies ? 'high' : 'medium', note });
  }
  if (strings && typeKey.test(key) && (varies || values.some((v) => typeNames.test(String(v))))) {
    const seen = [...new Set(values as string[])].join(', ');
    const note = `the coupon type as mapped through couponMapping (seen: ${seen})`;
    found.push({ placeholder: 'discount_type', confidence: varies ? 'high' : 'medium', note });
  }
  if (kitOwnPlaceholders.includes(key) && varies) {
    const note = `changes between deliveries and carries the name of the kit's own {{${key}}} (not documented by Gameball)`;
    found.push({ placeholder: key, confidence: 'low', note });
  }
  return found;
}

function constant(field: AlignedField): FieldMeaning {
  if (!field.varies) {
    return {
      pointer: field.pointer,
      confidence: 'high',
      note: 'the same in every delivery: a constant of the template',
    };
  }
  const seen = [...new Set(field.values.map((v) => JSON.stringify(v)))].slice(0, 3).join(', ');
  return {
    pointer: field.pointer,
    confidence: 'low',
    note: `changes between deliveries (${seen}…) but fits no documented placeholder; kept as in the first delivery`,
  };
}

function isNumberLike(value: unknown): boolean {
  return (
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
  );
}
