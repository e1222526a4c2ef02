// "Carries the code" is exact: a JSON string value equal to the code, never a substring.
import { describe, expect, it } from 'vitest';
import { findCode } from '../../harness/run/find-code.ts';

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
