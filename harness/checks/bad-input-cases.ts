// The bad-input matrix, generated from the merchant request schema (the contract's CouponDelivery)
// rather than written by hand: each required property removed, each property given a wrong type,
// each bound, length, enum and pattern violated, the conditional bounds included (a percentage
// above 100). Cases are data, named by the JSON pointer of the property they break; a property
// added to the schema is a new case without a line of code here.
import { contractDocument } from '../../openapi/contract.ts';

/** The slice of JSON Schema the generator reads. */
interface PropertySchema {
  type?: string | string[];
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
}

interface ObjectSchema {
  required?: string[];
  properties?: Record<string, PropertySchema>;
  if?: { properties?: Record<string, { const?: unknown }> };
  then?: { properties?: Record<string, PropertySchema> };
}

export interface BadInputCase {
  /** `/value below minimum 0 (-1)`: the pointer of the broken property, what breaks it, the value. */
  name: string;
  /** JSON pointer of the property in the delivery, e.g. `/value`. */
  pointer: string;
  /** The delivery field (placeholder) the case changes. */
  field: string;
  /** The schema keyword violated: required, type, minimum, maximum, minLength, maxLength, pattern, enum. */
  keyword: string;
  /** The value to send; absent for a removed property. */
  value?: unknown;
  /** The case only applies when another property has this value (the schema's if/then). */
  when?: { field: string; equals: unknown };
  /**
   * A failure when accepting the case mints a wrong coupon: a required property (whose, which code,
   * what kind, how much) missing, empty, of the wrong type, out of its bounds or not one of its
   * values. The rest (a too-long id, a code of an unusual alphabet, optional fields) is the
   * contract's advice, a warning: Gameball never sends them and nothing is lost if they pass.
   */
  severity: 'failure' | 'warning';
}

/** The request schema merchants implement: CouponDelivery in the merchant contract. */
export function deliverySchema(): ObjectSchema {
  const schemas = (contractDocument('merchant').components as { schemas: Record<string, ObjectSchema> }).schemas;
  return schemas.CouponDelivery!;
}

export function badInputCases(schema: ObjectSchema = deliverySchema()): BadInputCase[] {
  const required = new Set(schema.required ?? []);
  const cases: BadInputCase[] = [];
  const add = (c: Omit<BadInputCase, 'pointer' | 'severity' | 'name'> & { what: string }): void => {
    const pointer = `/${c.field.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const shown = !('value' in c)
      ? ''
      : typeof c.value === 'string' && c.value.length > 30
        ? ` (${c.value.length} characters)`
        : ` (${JSON.stringify(c.value)})`;
    const { what, ...rest } = c;
    cases.push({
      name: `${pointer} ${what}${shown}`,
      pointer,
      severity: required.has(c.field) && breaksTheCoupon(c.keyword, c.value) ? 'failure' : 'warning',
      ...rest,
    });
  };
  for (const [field, property] of Object.entries(schema.properties ?? {})) {
    if (required.has(field)) add({ field, keyword: 'required', what: 'missing' });
    const wrong = wrongType(property.type);
    if (wrong !== undefined) add({ field, keyword: 'type', value: wrong, what: 'of the wrong type' });
    for (const violation of violations(property)) add({ field, ...violation });
  }
  // Conditional bounds: `if couponType is percentage_discount then value <= 100`.
  const condition = Object.entries(schema.if?.properties ?? {}).find(([, p]) => p.const !== undefined);
  if (condition) {
    const [onField, { const: equals }] = condition;
    for (const [field, property] of Object.entries(schema.then?.properties ?? {})) {
      for (const violation of violations({ ...property, type: schema.properties?.[field]?.type ?? 'number' })) {
        add({
          field,
          ...violation,
          what: `${violation.what} when /${onField} is ${String(equals)}`,
          when: { field: onField, equals },
        });
      }
    }
  }
  // The same property sent with the same broken value twice is one case (minimum and exclusiveMinimum).
  const seen = new Set<string>();
  return cases.filter((c) => {
    const key = `${c.pointer}\u0000${'value' in c ? JSON.stringify(c.value) : '(missing)'}\u0000${JSON.stringify(c.when)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const couponBreaking = new Set([
  'required',
  'type',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'enum',
]);

function breaksTheCoupon(keyword: string, value: unknown): boolean {
  return couponBreaking.has(keyword) || (keyword === 'minLength' && value === '');
}

/** A value of none of the allowed types, or undefined when every type is allowed. */
function wrongType(type: string | string[] | undefined): unknown {
  if (type === undefined) return undefined;
  const allowed = new Set(Array.isArray(type) ? type : [type]);
  const candidates: [string, unknown][] = [
    ['string', 12345],
    ['number', 'ten'],
    ['integer', 'ten'],
    ['boolean', 'yes'],
    ['array', 'not-a-list'],
    ['object', 'not-an-object'],
  ];
  for (const [name, value] of candidates) if (allowed.has(name)) return fits(value, allowed) ? undefined : value;
  return undefined;
}

function fits(value: unknown, allowed: Set<string>): boolean {
  if (typeof value === 'string') return allowed.has('string');
  if (typeof value === 'number') return allowed.has('number') || (allowed.has('integer') && Number.isInteger(value));
  return false;
}

type Violation = { keyword: string; value: unknown; what: string };

function violations(property: PropertySchema): Violation[] {
  const found: Violation[] = [];
  const step = 1;
  if (property.minimum !== undefined)
    found.push({ keyword: 'minimum', value: property.minimum - step, what: `below minimum ${property.minimum}` });
  if (property.exclusiveMinimum !== undefined)
    found.push({
      keyword: 'exclusiveMinimum',
      value: property.exclusiveMinimum,
      what: `not above ${property.exclusiveMinimum}`,
    });
  if (property.maximum !== undefined)
    found.push({ keyword: 'maximum', value: property.maximum + step, what: `above maximum ${property.maximum}` });
  if (property.exclusiveMaximum !== undefined)
    found.push({
      keyword: 'exclusiveMaximum',
      value: property.exclusiveMaximum,
      what: `not below ${property.exclusiveMaximum}`,
    });
  if (property.minLength !== undefined && property.minLength > 0)
    found.push({
      keyword: 'minLength',
      value: 'A'.repeat(property.minLength - 1),
      what: `shorter than ${property.minLength}`,
    });
  if (property.maxLength !== undefined)
    found.push({
      keyword: 'maxLength',
      value: 'A'.repeat(property.maxLength + 1),
      what: `longer than ${property.maxLength}`,
    });
  if (property.pattern !== undefined) {
    const pattern = new RegExp(property.pattern, 'u');
    const value = ['has space!', 'semi;colon', '"quoted"', '\u00e4'].find(
      (v) => !pattern.test(v) && v.length >= (property.minLength ?? 0) && v.length <= (property.maxLength ?? v.length),
    );
    if (value !== undefined) found.push({ keyword: 'pattern', value, what: `not matching ${property.pattern}` });
  }
  if (property.enum !== undefined) {
    const value = 'gb-coupon-unknown-value';
    if (!property.enum.includes(value)) found.push({ keyword: 'enum', value, what: 'not one of the allowed values' });
  }
  return found;
}
