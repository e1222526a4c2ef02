// `gb-coupon cassette diff A B`: whether two cassettes show the same kind of delivery, values
// ignored: the methods, the content types, the header names (less those every HTTP client adds
// its own way), the query keys, each body field's JSON type, and which placeholder fills it. Meant
// for a cassette of the stand-in against one of real Gameball: where the kit's model departs.
import type { ExchangeRecord } from '../cassette/cassette-format.ts';
import { isTransportHeader } from '../record/redact-received.ts';
import { alignFields } from './body-fields.ts';
import { deliveryView } from './delivery-view.ts';
import { inferPayload } from './infer-payload.ts';

export interface CassetteDifference {
  /** What differs: `method`, `content-type`, `header`, `query`, `field`, `placeholder`. */
  aspect: string;
  /** The header, query key or field pointer; absent for method and content type. */
  name?: string;
  a: string;
  b: string;
}

interface Shape {
  method: Set<string>;
  'content-type': Set<string>;
  header: Set<string>;
  query: Set<string>;
  field: Map<string, string>;
  placeholder: Map<string, string>;
}

export function diffCassettes(a: readonly ExchangeRecord[], b: readonly ExchangeRecord[]): CassetteDifference[] {
  const [left, right] = [shapeOf(a), shapeOf(b)];
  const differences: CassetteDifference[] = [];
  for (const aspect of ['method', 'content-type'] as const) {
    const [x, y] = [[...left[aspect]].sort().join(', '), [...right[aspect]].sort().join(', ')];
    if (x !== y) differences.push({ aspect, a: x || '(none)', b: y || '(none)' });
  }
  for (const aspect of ['header', 'query'] as const) {
    for (const name of [...new Set([...left[aspect], ...right[aspect]])].sort()) {
      const [x, y] = [left[aspect].has(name), right[aspect].has(name)];
      if (x !== y) differences.push({ aspect, name, a: x ? 'present' : 'absent', b: y ? 'present' : 'absent' });
    }
  }
  for (const aspect of ['field', 'placeholder'] as const) {
    for (const name of [...new Set([...left[aspect].keys(), ...right[aspect].keys()])]) {
      const [x, y] = [left[aspect].get(name) ?? 'absent', right[aspect].get(name) ?? 'absent'];
      if (x !== y && !(aspect === 'placeholder' && (x === 'absent' || y === 'absent'))) {
        differences.push({ aspect, name, a: x, b: y });
      }
    }
  }
  return differences;
}

function shapeOf(exchanges: readonly ExchangeRecord[]): Shape {
  const views = exchanges.map(deliveryView);
  const shape: Shape = {
    method: new Set(views.map((view) => view.method)),
    'content-type': new Set(views.map((view) => mediaType(view.headers.get('content-type')?.value))),
    header: new Set(views.flatMap((view) => [...view.headers.keys()].filter((name) => !isTransportHeader(name)))),
    query: new Set(views.flatMap((view) => view.query.map(([key]) => key))),
    field: new Map(),
    placeholder: new Map(),
  };
  const documents = views.map((view) => view.document).filter((document) => document !== undefined);
  for (const field of alignFields(documents)) {
    shape.field.set(
      field.pointer,
      [...new Set(field.values.filter((v) => v !== undefined).map(jsonType))].sort().join(' or '),
    );
  }
  for (const field of inferPayload(views).fields) {
    shape.placeholder.set(field.pointer, field.placeholder ? `{{${field.placeholder}}}` : 'a constant');
  }
  return shape;
}

function mediaType(value: string | undefined): string {
  return value === undefined ? '(none)' : value.split(';')[0]!.trim().toLowerCase();
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** One line per difference, as the CLI prints them. */
export function describeDifference(difference: CassetteDifference): string {
  const what = difference.name === undefined ? difference.aspect : `${difference.aspect} ${difference.name}`;
  return `${what}: ${difference.a} in A, ${difference.b} in B`;
}
