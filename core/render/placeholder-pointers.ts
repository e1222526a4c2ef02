// Where a payload template puts each placeholder in the document it fills: `{"customer":
// {"id":"{{playerUniqueId}}"}}` puts playerUniqueId at /customer/id. A merchant that stores the
// delivery as it came keeps the same shape, so the harness can read what was stored at the place
// the template sent each value to. Only a placeholder that is a whole JSON value counts: one inside
// a longer string ("CUS-{{playerUniqueId}}") has no place of its own.
import { formatPointer } from '../../openapi/json-pointer.ts';
import { parseJson } from '../parse-json.ts';
import { compileTemplate } from './fill-template.ts';

/** The JSON pointers of each placeholder that stands as a whole value; empty when the template does not fill into JSON. */
export function placeholderPointers(template: string): Map<string, string[]> {
  const compiled = compileTemplate(template);
  // Each placeholder filled with a marker no template text holds, then found again in the document.
  const marker = (name: string): string => `\u0000gb-placeholder:${name}\u0000`;
  const names = new Set(compiled.placeholders.map((p) => p.name));
  const markers = new Map([...names].map((name) => [marker(name), name]));
  const document = parseJson(compiled.fill(Object.fromEntries([...names].map((name) => [name, marker(name)]))).text);
  const pointers = new Map<string, string[]>();
  const pending: [unknown, string[]][] = [[document, []]];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      const name = markers.get(value);
      if (name !== undefined) pointers.set(name, [...(pointers.get(name) ?? []), formatPointer(path)]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) pending.push([item, [...path, key]]);
    }
  }
  return pointers;
}
