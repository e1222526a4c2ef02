// Fills a Gameball payload template. Substitution is textual, as Gameball's is, but aware of JSON
// strings: a placeholder inside quotes becomes escaped string content, one standing alone becomes
// the value's JSON form. Values are always JSON-escaped, so no customer id can break the document.
//
// A template is read once (`compileTemplate`) into its literal text and its placeholders; filling
// then only joins strings. The load runner fills thousands a second, and `bind` lets it fill a
// scenario's fixed values once and the code per request: the same text as filling all at once.

export type PlaceholderValue = string | number | boolean | null | readonly string[] | undefined;

interface FilledTemplate {
  text: string;
  /** Placeholders the template names that had no value (rendered as null, or "" inside quotes). */
  unknown: string[];
}

/** A well-formed placeholder, where it stands in the template and whether it is inside a JSON string. */
interface Placeholder {
  name: string;
  offset: number;
  inString: boolean;
}

interface CompiledTemplate {
  /** Its placeholders in template order (bound ones excluded). */
  readonly placeholders: readonly Placeholder[];
  fill(values: Readonly<Record<string, PlaceholderValue>>): FilledTemplate;
  /** The template with these placeholders filled in; the others stay for `fill`. */
  bind(values: Readonly<Record<string, PlaceholderValue>>): CompiledTemplate;
}

const placeholderName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function compileTemplate(template: string): CompiledTemplate {
  const literals: string[] = [];
  const placeholders: Placeholder[] = [];
  let copiedUpTo = 0;
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const char = template.charCodeAt(i);
    if (char === 0x7b /* { */ && template.charCodeAt(i + 1) === 0x7b) {
      const end = template.indexOf('}}', i + 2);
      const name = end === -1 ? '' : template.slice(i + 2, end).trim();
      if (placeholderName.test(name)) {
        literals.push(template.slice(copiedUpTo, i));
        placeholders.push({ name, offset: i, inString });
        i = end + 1;
        copiedUpTo = end + 2;
        continue;
      }
    }
    if (inString && char === 0x5c /* \ */) {
      // The escape and the escaped character are copied as they are.
      i++;
      continue;
    }
    if (char === 0x22 /* " */) inString = !inString;
  }
  literals.push(template.slice(copiedUpTo));
  return compiled(literals, placeholders);
}

export function fillTemplate(template: string, values: Readonly<Record<string, PlaceholderValue>>): FilledTemplate {
  return compileTemplate(template).fill(values);
}

/** `literals` has one more entry than `placeholders`: the text before each, and after the last. */
function compiled(literals: readonly string[], placeholders: readonly Placeholder[]): CompiledTemplate {
  return {
    placeholders,
    fill(values) {
      let text = literals[0]!;
      const unknown = new Set<string>();
      for (let i = 0; i < placeholders.length; i++) {
        const { name, inString } = placeholders[i]!;
        const value = ownValue(values, name);
        if (value === undefined) unknown.add(name);
        text += (inString ? asStringContent(value) : asJson(value)) + literals[i + 1]!;
      }
      return { text, unknown: [...unknown] };
    },
    bind(values) {
      const boundLiterals = [literals[0]!];
      const left: Placeholder[] = [];
      for (let i = 0; i < placeholders.length; i++) {
        const placeholder = placeholders[i]!;
        const value = ownValue(values, placeholder.name);
        if (value === undefined) {
          // Unbound: it stays a placeholder, and so does the report of it as unknown.
          left.push(placeholder);
          boundLiterals.push(literals[i + 1]!);
        } else {
          const filled = placeholder.inString ? asStringContent(value) : asJson(value);
          boundLiterals[boundLiterals.length - 1] += filled + literals[i + 1]!;
        }
      }
      return compiled(boundLiterals, left);
    },
  };
}

/** Own properties only: {{constructor}} or {{toString}} must not pick up Object.prototype. */
function ownValue(values: Readonly<Record<string, PlaceholderValue>>, name: string): PlaceholderValue {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}

/** A value standing alone in the template: its JSON form. */
function asJson(value: PlaceholderValue): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** What JSON.stringify escapes in a string: quotes, backslashes, controls, and (lone) surrogates. */
const needsEscaping = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A value inside a JSON string: numbers and booleans as their text, arrays as their JSON text, null as nothing. */
function asStringContent(value: PlaceholderValue): string {
  if (value === undefined || value === null) return '';
  // Most values (codes, ids) need no escaping: as they are, without JSON.stringify's copy.
  if (typeof value === 'string' && !needsEscaping.test(value)) return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text).slice(1, -1);
}
