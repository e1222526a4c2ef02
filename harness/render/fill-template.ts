// Fills a Gameball payload template. Substitution is textual, as Gameball's is, but aware of JSON
// strings: a placeholder inside quotes becomes escaped string content, one standing alone becomes
// the value's JSON form. Values are always JSON-escaped, so no customer id can break the document.

export type PlaceholderValue = string | number | boolean | null | readonly string[] | undefined;

export interface FilledTemplate {
  text: string;
  /** Placeholders the template names that had no value (rendered as null, or "" inside quotes). */
  unknown: string[];
}

const placeholderName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function fillTemplate(template: string, values: Readonly<Record<string, PlaceholderValue>>): FilledTemplate {
  // The text between placeholders is copied in slices, not character by character: the load runner
  // renders every request, thousands a second.
  let text = '';
  let copiedUpTo = 0;
  const unknown = new Set<string>();
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const char = template.charCodeAt(i);
    if (char === 0x7b /* { */ && template.charCodeAt(i + 1) === 0x7b) {
      const end = template.indexOf('}}', i + 2);
      const name = end === -1 ? '' : template.slice(i + 2, end).trim();
      if (placeholderName.test(name)) {
        // Own properties only: {{constructor}} or {{toString}} must not pick up Object.prototype.
        const value = Object.hasOwn(values, name) ? values[name] : undefined;
        if (value === undefined) unknown.add(name);
        text += template.slice(copiedUpTo, i) + (inString ? asStringContent(value) : asJson(value));
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
  text += template.slice(copiedUpTo);
  return { text, unknown: [...unknown] };
}

/** A value standing alone in the template: its JSON form. */
function asJson(value: PlaceholderValue): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** A value inside a JSON string: numbers and booleans as their text, arrays as their JSON text, null as nothing. */
function asStringContent(value: PlaceholderValue): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text).slice(1, -1);
}
