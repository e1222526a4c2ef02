// A body taken apart into its fields: each leaf by JSON pointer (arrays count as one leaf, as a
// placeholder standing alone fills a whole array), and the fields of many bodies side by side.
import { isDeepStrictEqual } from 'node:util';
import { escapeSegment, parsePointer } from '../../openapi/json-pointer.ts';

export type Leaves = Map<string, unknown>;

/** Each leaf of a JSON document by pointer; a document that is not an object is one leaf at "". */
export function leavesOf(document: unknown): Leaves {
  const leaves: Leaves = new Map();
  const visit = (value: unknown, pointer: string): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [key, member] of Object.entries(value)) visit(member, `${pointer}/${escapeSegment(key)}`);
    } else leaves.set(pointer, value);
  };
  visit(document, '');
  return leaves;
}

export interface AlignedField {
  pointer: string;
  /** The member's name (the last segment of the pointer). */
  key: string;
  /** Its value in each delivery, in order (undefined where a delivery lacks it). */
  values: unknown[];
  /** In how many deliveries it is present. */
  present: number;
  varies: boolean;
}

/** The fields of every body side by side, in the order they first appear. */
export function alignFields(documents: readonly unknown[]): AlignedField[] {
  const all = documents.map(leavesOf);
  const pointers = [...new Set(all.flatMap((leaves) => [...leaves.keys()]))];
  return pointers.map((pointer) => {
    const values = all.map((leaves) => leaves.get(pointer));
    const present = all.filter((leaves) => leaves.has(pointer)).length;
    return {
      pointer,
      key: parsePointer(pointer).at(-1) ?? '',
      values,
      present,
      varies: values.some((value) => !isDeepStrictEqual(value, values[0])),
    };
  });
}

/** The document with the leaves at these pointers replaced (a copy; pointers from leavesOf). */
export function replaceLeaves(document: unknown, replacements: ReadonlyMap<string, unknown>): unknown {
  const visit = (value: unknown, pointer: string): unknown => {
    if (replacements.has(pointer)) return replacements.get(pointer);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) copy[key] = visit(member, `${pointer}/${escapeSegment(key)}`);
    return copy;
  };
  return visit(document, '');
}
