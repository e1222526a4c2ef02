// "Carries the code" is exact: a JSON string value equal to the code, never a substring.
import { describe, expect, it } from 'vitest';
import { findCode } from '../../core/judge/find-code.ts';

const answer = (body: string) => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { body, json };
};
const code = 'GB10-ABCDEFGHJK';

describe('findCode', () => {
  it('finds the code as a JSON string value anywhere, and says where', () => {
    expect(findCode(answer(`{"data":{"code":"${code}"}}`), code)).toEqual({
      carries: true,
      pointer: '/data/code',
      alsoAt: [],
    });
    expect(findCode(answer(`{"a":"${code}","b":["${code}"]}`), code)).toMatchObject({
      pointer: '/a',
      alsoAt: ['/b/0'],
    });
  });

  it('does not take an error message quoting the code for the code', () => {
    const judgement = findCode(
      answer(`{"success":false,"error":"Could not create coupon ${code}: shop API down"}`),
      code,
    );
    expect(judgement).toMatchObject({ carries: false, kind: 'code-missing' });
    expect(findCode(answer(`{"code":"${code}X"}`), code).carries).toBe(false);
  });

  it('an answer that carries the code but says it failed contradicts itself', () => {
    for (const body of [
      `{"code":"${code}","success":false}`,
      `{"code":"${code}","error":"duplicate"}`,
      `{"code":"${code}","errors":["x"]}`,
      `{"code":"${code}","status":"failed"}`,
    ]) {
      expect(findCode(answer(body), code), body).toMatchObject({ carries: false, kind: 'answer-contradicts' });
    }
    expect(findCode(answer(`{"code":"${code}","error":null,"errors":[]}`), code).carries).toBe(true);
  });

  it('a plain-text answer carries the code only when it is the whole body, trimmed', () => {
    expect(findCode(answer(`${code}\n`), code)).toEqual({ carries: true, pointer: null, alsoAt: [] });
    expect(findCode(answer(`created ${code}`), code)).toMatchObject({ carries: false, kind: 'code-missing' });
  });

  it('with a pointer, only that place counts, and the message says where the code is instead', () => {
    const body = answer(`{"data":{"code":"${code}"}}`);
    expect(findCode(body, code, { codePointer: '/data/code' })).toMatchObject({ carries: true, pointer: '/data/code' });
    const judgement = findCode(body, code, { codePointer: '/data/id' });
    expect(judgement).toMatchObject({ carries: false, kind: 'code-missing' });
    expect(!judgement.carries && judgement.reason).toContain('(it is at /data/code)');
  });

  it('with the default template, the contract decides: couponCode', () => {
    expect(findCode(answer(`{"couponCode":"${code}"}`), code, { usesDefaultTemplate: true }).carries).toBe(true);
    expect(findCode(answer(`{"code":"${code}"}`), code, { usesDefaultTemplate: true }).carries).toBe(false);
  });

  it('no answer carries nothing', () => {
    expect(findCode(undefined, code)).toMatchObject({ carries: false, kind: 'no-answer' });
  });
});

describe('findCode with the document a caller already parsed', () => {
  // The load runner parses each answer for the schema and hands findCode the document; the verdict
  // must be the one the scan of the text gives, whatever the answer holds.
  const names = ['couponCode', 'success', 'ok', 'succeeded', 'error', 'errors', 'status', '__proto__', 'data'];
  const values = [
    `"${code}"`,
    '"GB10-OTHER"',
    'true',
    'false',
    'null',
    '0',
    '1.5e2',
    '""',
    '"error"',
    '"Failed"',
    '"FAILURE"',
    '"ok"',
    '[]',
    '[1]',
    '{}',
    `{"couponCode":"${code}"}`,
    `"\\u0047B10-ABCDEFGHJK"`,
  ];

  function randomBody(random: () => number): string {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const space = () => pick(['', ' ', '\n  ']);
    if (random() < 0.1) return pick([`"${code}"`, `["${code}"]`, 'null', '42', `[{"couponCode":"${code}"}]`]);
    // Written by hand, so that a name may repeat (the last value counts, in JSON.parse and the scan).
    const members = Array.from(
      { length: Math.floor(random() * 5) },
      () => `${space()}"${pick(names)}"${space()}:${space()}${pick(values)}`,
    );
    return `{${members.join(',')}${space()}}`;
  }

  it('gives the verdict the scan gives, for thousands of answers with repeated, failing and nested members', () => {
    let state = 7;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const body = randomBody(random);
      const document: unknown = JSON.parse(body);
      const scanned = findCode({ body }, code, { usesDefaultTemplate: true });
      expect(findCode({ body, document }, code, { usesDefaultTemplate: true }), body).toStrictEqual(scanned);
      const outcome = scanned.carries ? 'carries' : scanned.kind;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // The corpus holds every outcome, not only misses.
    expect(outcomes.get('carries')).toBeGreaterThan(30);
    expect(outcomes.get('answer-contradicts')).toBeGreaterThan(30);
    expect(outcomes.get('code-missing')).toBeGreaterThan(30);
  });
});
