// Idempotency on the code: two deliveries are the same when every property (unknown ones
// included) has the same JSON value, whatever the key order. The differences are what a 409 names.
import type { FieldProblem } from '../problem.ts';

/** Whether two JSON values are equal (objects compared by key set, not key order). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameJson(item, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && sameJson(left[key], right[key]));
}

/**
 * One FieldProblem per top-level property whose value differs between what is stored and what
 * arrived. The values themselves are included only when short: a 409 names the fields, it does not
 * echo the stored document (the error body bounds the number of entries).
 */
export function differences(stored: Record<string, unknown>, received: Record<string, unknown>): FieldProblem[] {
  const fields = new Set([...Object.keys(stored), ...Object.keys(received)]);
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const before = Object.hasOwn(stored, field) ? stored[field] : undefined;
    const after = Object.hasOwn(received, field) ? received[field] : undefined;
    if (sameJson(before, after)) continue;
    const problem: FieldProblem = { field, message: `stored ${show(before)}, received ${show(after)}` };
    if (before !== undefined && isShort(before)) problem.stored = before;
    if (after !== undefined && isShort(after)) problem.received = after;
    problems.push(problem);
  }
  return problems;
}

const shortJson = 80;

function isShort(value: unknown): boolean {
  return JSON.stringify(value).length <= shortJson;
}

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > shortJson ? `${text.slice(0, shortJson - 3)}...` : text;
}
