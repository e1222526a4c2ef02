// The renderer read backwards: given a payload template and a body, the values that, filled in,
// give that body, or where the body departs from the template. Replay reads recorded deliveries
// through it (so a replayed delivery is the recorded one rendered again, with a fresh code), the
// recorder recognises the kit's default template with it, and `config infer` confirms a guess.
// The comparison is of JSON documents, not text: the whitespace of a template copied from a
// dashboard need not match the template a body came from.
import { isDeepStrictEqual } from 'node:util';
import { escapeSegment } from '../../openapi/json-pointer.ts';
import { compileTemplate } from './fill-template.ts';

export type TemplateMatch = { values: Record<string, unknown> } | { mismatch: string };

/** A placeholder filled in as this sentinel is found again in the parsed template. */
const mark = (name: string): string => `\u0000${name}\u0000`;
const markPattern = /\u0000([A-Za-z_][A-Za-z0-9_]*)\u0000/g;

/** A matcher for one template (read once): the values of a parsed body, or where it departs. */
export function templateMatcher(template: string): (body: unknown) => TemplateMatch {
  const compiled = compileTemplate(template);
  const marks = Object.fromEntries(compiled.placeholders.map((p) => [p.name, mark(p.name)]));
  let shape: unknown;
  try {
    shape = JSON.parse(compiled.fill(marks).text);
  } catch {
    return () => ({ mismatch: 'the template is not JSON once its placeholders are filled' });
  }
  return (body) => {
    const values: Record<string, unknown> = Object.create(null);
    const mismatch = compare(shape, body, '', values);
    return mismatch === undefined ? { values: { ...values } } : { mismatch };
  };
}

function compare(template: unknown, body: unknown, at: string, values: Record<string, unknown>): string | undefined {
  if (typeof template === 'string' && template.includes('\u0000')) return capture(template, body, at, values);
  if (Array.isArray(template)) {
    if (!Array.isArray(body) || body.length !== template.length) {
      return `${at || '(body)'}: the template has an array of ${template.length}, the body ${describe(body)}`;
    }
    for (let i = 0; i < template.length; i++) {
      const problem = compare(template[i], body[i], `${at}/${i}`, values);
      if (problem) return problem;
    }
    return undefined;
  }
  if (template !== null && typeof template === 'object') return compareObject(template, body, at, values);
  return isDeepStrictEqual(template, body)
    ? undefined
    : `${at || '(body)'}: the template has ${JSON.stringify(template)}, the body ${describe(body)}`;
}

function compareObject(
  template: object,
  body: unknown,
  at: string,
  values: Record<string, unknown>,
): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return `${at || '(body)'}: the template has an object, the body ${describe(body)}`;
  }
  const expected = Object.keys(template);
  const extra = Object.keys(body).filter((key) => !Object.hasOwn(template, key));
  if (extra.length > 0) return `${at}/${extra[0]}: the body has it, the template does not`;
  for (const key of expected) {
    const pointer = `${at}/${escapeSegment(key)}`;
    if (!Object.hasOwn(body, key)) return `${pointer}: the template has it, the body does not`;
    const problem = compare(
      (template as Record<string, unknown>)[key],
      (body as Record<string, unknown>)[key],
      pointer,
      values,
    );
    if (problem) return problem;
  }
  return undefined;
}

/** A template string holding placeholders: the whole value for one alone, else the text around them. */
function capture(template: string, body: unknown, at: string, values: Record<string, unknown>): string | undefined {
  const names = [...template.matchAll(markPattern)].map((m) => m[1]!);
  const alone = names.length === 1 && template === mark(names[0]!);
  let found: unknown[];
  if (alone) found = [body];
  else {
    if (typeof body !== 'string')
      return `${at}: the template has text around a placeholder, the body ${describe(body)}`;
    const literal = template.split(markPattern).filter((_, i) => i % 2 === 0);
    const pattern = new RegExp(`^${literal.map(escapeRegExp).join('([\\s\\S]*?)')}$`);
    const match = pattern.exec(body);
    if (!match)
      return `${at}: the body's ${JSON.stringify(body)} does not fit the template's text around its placeholders`;
    found = match.slice(1);
  }
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
