// The renderer read backwards: given a payload template and a body, the values that, filled in,
// give that body, or where the body departs from the template. Replay reads recorded deliveries
// through it (so a replayed delivery is the recorded one rendered again, with a fresh code), the
// recorder recognises the kit's default template with it, and `config infer` confirms a guess.
// The comparison is of JSON documents, not text: the whitespace of a template copied from a
// dashboard need not match the template a body came from. The template is read once into a tree
// of expectations, so that the recorder can match every delivery cheaply.
import { isDeepStrictEqual } from 'node:util';
import { escapeSegment } from '../../openapi/json-pointer.ts';
import { compileTemplate } from './fill-template.ts';

export type TemplateMatch = { values: Record<string, unknown> } | { mismatch: string };

/** What the template expects at one place of the body. */
type Expected =
  | { kind: 'literal'; value: unknown }
  | { kind: 'alone'; name: string }
  | { kind: 'text'; names: string[]; pattern: RegExp }
  | { kind: 'array'; items: Expected[] }
  | { kind: 'object'; members: [key: string, pointer: string, expected: Expected][] };

/** A placeholder filled in as this sentinel is found again in the parsed template. */
const mark = (name: string): string => `\u0000${name}\u0000`;
const markPattern = /\u0000([A-Za-z_][A-Za-z0-9_]*)\u0000/g;

/** A matcher for one template (read once): the values of a parsed body, or where it departs. */
export function templateMatcher(template: string): (body: unknown) => TemplateMatch {
  const compiled = compileTemplate(template);
  const marks = Object.fromEntries(compiled.placeholders.map((p) => [p.name, mark(p.name)]));
  let shape: Expected;
  try {
    shape = expectationOf(JSON.parse(compiled.fill(marks).text), '');
  } catch {
    return () => ({ mismatch: 'the template is not JSON once its placeholders are filled' });
  }
  return (body) => {
    const values: Record<string, unknown> = Object.create(null);
    const mismatch = compare(shape, body, '', values);
    return mismatch === undefined ? { values: { ...values } } : { mismatch };
  };
}

function expectationOf(template: unknown, at: string): Expected {
  if (typeof template === 'string' && template.includes('\u0000')) {
    const names = [...template.matchAll(markPattern)].map((m) => m[1]!);
    if (names.length === 1 && template === mark(names[0]!)) return { kind: 'alone', name: names[0]! };
    const literal = template.split(markPattern).filter((_, i) => i % 2 === 0);
    return { kind: 'text', names, pattern: new RegExp(`^${literal.map(escapeRegExp).join('([\\s\\S]*?)')}$`) };
  }
  if (Array.isArray(template))
    return { kind: 'array', items: template.map((item, i) => expectationOf(item, `${at}/${i}`)) };
  if (template !== null && typeof template === 'object') {
    const members = Object.entries(template).map(([key, value]): [string, string, Expected] => {
      const pointer = `${at}/${escapeSegment(key)}`;
      return [key, pointer, expectationOf(value, pointer)];
    });
    return { kind: 'object', members };
  }
  return { kind: 'literal', value: template };
}

function compare(expected: Expected, body: unknown, at: string, values: Record<string, unknown>): string | undefined {
  switch (expected.kind) {
    case 'alone':
      return capture([expected.name], [body], at, values);
    case 'text': {
      if (typeof body !== 'string')
        return `${at}: the template has text around a placeholder, the body ${describe(body)}`;
      const match = expected.pattern.exec(body);
      if (!match)
        return `${at}: the body's ${JSON.stringify(body)} does not fit the template's text around its placeholders`;
      return capture(expected.names, match.slice(1), at, values);
    }
    case 'array': {
      if (!Array.isArray(body) || body.length !== expected.items.length) {
        return `${at || '(body)'}: the template has an array of ${expected.items.length}, the body ${describe(body)}`;
      }
      for (let i = 0; i < body.length; i++) {
        const problem = compare(expected.items[i]!, body[i], `${at}/${i}`, values);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'object':
      return compareObject(expected.members, body, at, values);
    default:
      return isDeepStrictEqual(expected.value, body)
        ? undefined
        : `${at || '(body)'}: the template has ${JSON.stringify(expected.value)}, the body ${describe(body)}`;
  }
}

function compareObject(
  members: readonly [string, string, Expected][],
  body: unknown,
  at: string,
  values: Record<string, unknown>,
): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return `${at || '(body)'}: the template has an object, the body ${describe(body)}`;
  }
  const record = body as Record<string, unknown>;
  let count = 0;
  for (const [key, pointer, expected] of members) {
    if (!Object.hasOwn(record, key)) return `${pointer}: the template has it, the body does not`;
    count++;
    const problem = compare(expected, record[key], pointer, values);
    if (problem) return problem;
  }
  if (Object.keys(record).length !== count) {
    const extra = Object.keys(record).find((key) => !members.some(([name]) => name === key))!;
    return `${at}/${escapeSegment(extra)}: the body has it, the template does not`;
  }
  return undefined;
}

/** Placeholder values found at one place; the same placeholder must have one value everywhere. */
function capture(
  names: readonly string[],
  found: readonly unknown[],
  at: string,
  values: Record<string, unknown>,
): string | undefined {
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (name in values && !isDeepStrictEqual(values[name], found[i])) {
      return `${at}: {{${name}}} is ${describe(found[i])} here but ${describe(values[name])} elsewhere in the body`;
    }
    values[name] = found[i];
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'has nothing there';
  const text = JSON.stringify(value);
  return `has ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
