// scanJson reads an answer for the code without building the document; it must agree with
// JSON.parse on what is JSON, on where the code is, and on the top-level members, whatever the text.
import { describe, expect, it } from 'vitest';
import { scanJson } from '../../core/judge/scan-json.ts';
import { escapeSegment } from '../../openapi/json-pointer.ts';

const code = 'GB10-ABCDEFGHJK';

/** What JSON.parse makes of `text`: the pointers to the code (as a sorted set), or undefined when not JSON. */
function reference(text: string): { found: string[]; members?: Record<string, unknown> } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const found: string[] = [];
  const walk = (value: unknown, at: string): void => {
    if (value === code) found.push(at);
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) walk(child, `${at}/${escapeSegment(key)}`);
  };
  walk(json, '');
  const isObject = json !== null && typeof json === 'object' && !Array.isArray(json);
  return { found: found.sort(), ...(isObject ? { members: json as Record<string, unknown> } : {}) };
}

function expectAgreement(text: string): void {
  const expected = reference(text);
  const scan = scanJson(text, code);
  expect(scan === undefined, `is JSON: ${text}`).toBe(expected === undefined);
  if (!scan || !expected) return;
  expect([...scan.found].sort(), text).toEqual(expected.found);
  expect(scan.members === undefined, text).toBe(expected.members === undefined);
  for (const [name, value] of scan.members ?? []) {
    const parsed = expected.members![name];
    if (value !== null && typeof value === 'object') {
      expect(value.nested, text).toBe(Array.isArray(parsed) ? 'array' : 'object');
      expect(value.empty, text).toBe(Object.keys(parsed as object).length === 0);
    } else {
      expect(Object.is(value, parsed), `${text}: ${name}`).toBe(true);
    }
  }
  expect([...(scan.members?.keys() ?? [])].sort()).toEqual(Object.keys(expected.members ?? {}).sort());
}

const samples = [
  '{}',
  '[]',
  '""',
  `"${code}"`,
  '0',
  '-0.5e+3',
  'true',
  'null',
  ' {"a" : "b" } ',
  '{"a":1}\n',
  `{"couponCode":"${code}","errors":[]}`,
  `{"couponCode":"${code}","errors":[[]],"error":{}}`,
  `{"a":"${code}","a":"x"}`,
  `{"a":"x","a":"${code}"}`,
  `{"a":{"b":"${code}"},"a":1,"c":["${code}"]}`,
  `{"a":[{"b":"${code}"}],"b":{"a":["${code}"],"a":[]}}`,
  `{"a/b~c":{"":"${code}"}}`,
  `{"x":"\\u0047B10-ABCDEFGHJK"}`,
  `{"\\u0061":"${code}"}`,
  `{"__proto__":"${code}"}`,
  `{"1":"${code}","0":"x"}`,
  '{"a":1,}',
  '{"a":[1,2,]}',
  '{"a":[1 2]}',
  '{"a":{"b":}}',
  '{"a":"\\x"}',
  '{"a":01}',
  '{"a":tru}',
  '{"a":[]}garbage',
  '{"a":[[[[]]]}',
  '{"a":"\u0001"}',
  '{"a":[,1]}',
  '{"a":.5}',
  '{"a":1.}',
  '{"a":"ok"',
  '{"a":NaN}',
  '{"a":{,}}',
  '{"a":{"b"}}',
  '{"a":{"b":1,}}',
  '[1,]',
  '[',
  '',
  ' ',
  '{"a":1e400}',
  '"\\ud800"',
];

describe('scanJson', () => {
  it.each(samples)('agrees with JSON.parse on %s', (text) => expectAgreement(text));

  it('agrees with JSON.parse on random documents, whole and cut short', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const names = ['a', 'b', 'couponCode', 'error', 'errors', 'success', '0', '1', 'a/b'];
    const value = (depth: number): string => {
      switch (random(depth > 4 ? 4 : 7)) {
        case 0:
          return JSON.stringify(code);
        case 1:
          return JSON.stringify(['x', 'GB10', '', 'é\n'][random(4)]);
        case 2:
          return ['0', '-1.5', '2e3', 'true', 'false', 'null'][random(6)]!;
        case 3:
          return JSON.stringify(code.slice(0, -1));
        case 4:
          return `[${Array.from({ length: random(4) }, () => value(depth + 1)).join(',')}]`;
        default:
          return `{${Array.from({ length: random(4) }, () => `${JSON.stringify(names[random(names.length)])}:${value(depth + 1)}`).join(', ')}}`;
      }
    };
    for (let i = 0; i < 2000; i++) {
      const text = value(0);
      expectAgreement(text);
      expectAgreement(text.slice(0, random(text.length + 1)));
    }
  });

  it('reads nesting deeper than the call stack, as JSON.parse does', () => {
    const deep = `{"couponCode":"${code}","x":${'{"a":'.repeat(200_000)}"${code}"${'}'.repeat(200_000)}}`;
    const scan = scanJson(deep, code)!;
    expect(scan.members?.get('couponCode')).toBe(code);
    expect(scan.found).toEqual(['/couponCode', `/x${'/a'.repeat(200_000)}`]);
    expect(scanJson(deep.slice(0, -2), code)).toBeUndefined();
  });
});
