// The one acceptance judge: every kind it can give, the answer shapes it reads (an Exchange, an
// ObservedResponse, the load runner's answer), and the mode where the merchant makes the code.
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../core/http/send-request.ts';
import { judge, type ResponseFacts } from '../../core/judge/judge.ts';
import { contractDocument } from '../../openapi/contract.ts';

const code = 'GB10-ABCDEFGHJK';
const sent = { expectedCode: code };
const defaultTemplate = { usesDefaultTemplate: true };
const customTemplate = { usesDefaultTemplate: false };

/** A 200 JSON answer as sendRequest records it (headers) unless told otherwise. */
function answer(body: string | Buffer, facts: Partial<ResponseFacts> = {}): ResponseFacts {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: bytes.toString('utf8'),
    bodyBytes: bytes.length,
    invalidUtf8: !bytes.equals(Buffer.from(bytes.toString('utf8'))),
    ...facts,
  };
}

const notUtf8 = Buffer.concat([
  Buffer.from(`{"couponCode":"${code}","note":"`),
  Buffer.from([0xff]),
  Buffer.from('"}'),
]);

describe('judge', () => {
  it('accepts a 200 carrying the code, and says where it is', () => {
    expect(judge(answer(`{"couponCode":"${code}"}`), sent, defaultTemplate)).toEqual({
      accepted: true,
      kind: 'accepted',
      detail: `The endpoint answered 200 with the code ${code} at /couponCode.`,
      findings: [],
      code,
      pointer: '/couponCode',
      alsoAt: [],
    });
    expect(judge(answer(`{"data":{"code":"${code}"}}`), sent, customTemplate)).toMatchObject({
      accepted: true,
      pointer: '/data/code',
    });
    expect(judge(answer(code, { headers: {} }), sent, customTemplate)).toMatchObject({ accepted: true, pointer: null });
  });

  it('no-answer: nothing came, or the body never completed', () => {
    const exchange: Exchange = {
      request: { method: 'POST', url: 'http://127.0.0.1:1/coupons', headers: {} },
      error: 'connection refused: nothing is listening at that address',
      startedAt: 0,
      durationMs: 1,
    };
    const verdict = judge(exchange, sent, defaultTemplate);
    expect(verdict).toMatchObject({ accepted: false, kind: 'no-answer' });
    expect(verdict.detail).toBe(
      'The delivery got no answer (connection refused: nothing is listening at that address); Gameball treats anything but 200 as a failed coupon.',
    );
    expect(verdict.findings).toEqual([{ severity: 'failure', kind: 'no-answer', message: verdict.detail }]);
    expect(judge({ error: 'the body stalled', incomplete: true }, sent, defaultTemplate).detail).toMatch(
      /^The delivery got an incomplete answer \(the body stalled\)/,
    );
  });

  it('status-not-200: exactly 200, even with the code', () => {
    const verdict = judge(answer(`{"couponCode":"${code}"}`, { status: 201 }), sent, defaultTemplate);
    expect(verdict).toMatchObject({ accepted: false, kind: 'status-not-200' });
    expect(verdict.detail).toBe(
      `The endpoint answered 201 with {"couponCode":"${code}"}; Gameball treats anything but 200 as a failed coupon.`,
    );
    expect(verdict.code).toBeUndefined();
  });

  it('code-missing and answer-contradicts come from findCode, with the contract findings behind them', () => {
    const missing = judge(answer('OK', { headers: { 'content-type': 'text/plain' } }), sent, defaultTemplate);
    expect(missing).toMatchObject({ accepted: false, kind: 'code-missing' });
    expect(missing.detail).toMatch(/^The endpoint answered 200 but the body has no "couponCode" equal to the code/);
    expect(missing.findings.map((f) => f.kind)).toEqual(['code-missing', 'content-type-not-json', 'body-not-json']);
    const contradicts = judge(answer(`{"couponCode":"${code}","success":false}`), sent, defaultTemplate);
    expect(contradicts).toMatchObject({ accepted: false, kind: 'answer-contradicts' });
    expect(contradicts.detail).toContain('"success": false');
  });

  it('body-truncated: an answer cut short cannot carry the code, and says so', () => {
    const verdict = judge(
      answer(`{"couponCode":"${code}","pad":"`, { truncated: true, bodyBytes: 2 * 1024 * 1024 }),
      sent,
      defaultTemplate,
    );
    // Cut short, not "without the code": the part kept starts with it (issue 18).
    expect(verdict).toMatchObject({ accepted: false, kind: 'body-truncated' });
    expect(verdict.detail).toContain('the body was cut short');
    expect(verdict.detail).toContain(`(the part kept does hold ${code})`);
    expect(verdict.detail).toContain('(body truncated: 2 MiB in all)');
    expect(verdict.findings.map((f) => f.kind)).toEqual(['body-truncated']);
    const custom = judge(
      answer(`{"couponCode":"${code}","pad":"`, { truncated: true, bodyBytes: 3 * 1024 * 1024 }),
      sent,
      customTemplate,
    );
    expect(custom).toMatchObject({ accepted: false, kind: 'body-truncated' });
    expect(custom.detail).not.toMatch(/not JSON|no JSON string value/);
  });

  it('body-not-utf8: refused for the default template, a warning for a custom one', () => {
    const refused = judge(answer(notUtf8), sent, defaultTemplate);
    expect(refused).toMatchObject({ accepted: false, kind: 'body-not-utf8', code, pointer: '/couponCode' });
    expect(refused.detail).toMatch(/^The answer is not valid UTF-8; JSON must be UTF-8/);
    const warned = judge(answer(notUtf8), sent, customTemplate);
    expect(warned).toMatchObject({ accepted: true, kind: 'accepted', code });
    expect(warned.findings).toEqual([expect.objectContaining({ severity: 'warning', kind: 'body-not-utf8' })]);
  });

  it('content-type-not-json and schema-mismatch: the contract holds for the default template', () => {
    const plain = judge(answer(`{"couponCode":"${code}"}`, { headers: {} }), sent, defaultTemplate);
    expect(plain).toMatchObject({ accepted: false, kind: 'content-type-not-json' });
    expect(plain.detail).toBe('The answer\'s content type is "missing"; it must be application/json.');
    expect(judge(answer(`{"couponCode":"${code}"}`, { headers: {} }), sent, customTemplate).accepted).toBe(true);
    const elsewhere = judge(answer(`{"data":{"code":"${code}"}}`), sent, {
      ...defaultTemplate,
      codePointer: '/data/code',
    });
    expect(elsewhere).toMatchObject({ accepted: false, kind: 'schema-mismatch', pointer: '/data/code' });
    expect(elsewhere.detail).toMatch(/^The answer does not match the contract: .*couponCode/);
  });

  it("reads the load runner's answer (a content type alone) as it reads an ObservedResponse", () => {
    for (const [body, contentType] of [
      [`{"couponCode":"${code}"}`, 'application/json; charset=utf-8'],
      [`{"couponCode":"${code}"}`, 'text/plain'],
      ['{"status":"created"}', 'application/json'],
    ] as const) {
      const observed = answer(body, { headers: { 'content-type': contentType } });
      const { headers: _, ...facts } = observed;
      expect(judge({ ...facts, contentType }, sent, defaultTemplate)).toEqual(judge(observed, sent, defaultTemplate));
    }
  });
});

describe('judge, reading a large answer by a scan instead of a parse', () => {
  // Over 64 KiB the default template's answer is scanned, not parsed (a JSON bomb builds nothing),
  // and the contract is held to the top-level members the scan gives: exact only while the
  // contract's answer constrains nothing below its top level.
  it('holds only while CouponCreated constrains top-level members alone', () => {
    const schemas = (contractDocument('gameball').components as { schemas: Record<string, Record<string, unknown>> })
      .schemas;
    const created = schemas.CouponCreated!;
    const below = ['items', 'prefixItems', 'contains', 'patternProperties', 'propertyNames', 'dependentSchemas'];
    const combined = ['allOf', 'anyOf', 'oneOf', 'not', 'if', '$ref'];
    expect(Object.keys(created).filter((key) => [...below, ...combined].includes(key))).toEqual([]);
    expect([undefined, true]).toContain(created.additionalProperties);
    for (const [name, property] of Object.entries(created.properties as Record<string, Record<string, unknown>>)) {
      expect(['string', 'number', 'integer', 'boolean'], name).toContain(property.type);
      expect(
        Object.keys(property).filter((key) => [...below, ...combined, 'properties'].includes(key)),
        name,
      ).toEqual([]);
    }
  });

  it('gives the verdict a parse gives, for thousands of answers', () => {
    let state = 11;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const names = ['couponCode', 'success', 'ok', 'error', 'errors', 'status', 'junk', '__proto__'];
    const values = [`"${code}"`, '"GB10-OTHER"', '""', 'false', 'true', 'null', '7', '"failed"', '[]', '[{}]', '{}'];
    const nestedValues = ['{"a":[1,{"b":null}]}', `[{"couponCode":"${code}"}]`];
    const kinds = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const members = Array.from(
        { length: Math.floor(random() * 5) },
        () => `"${pick(names)}":${pick(random() < 0.2 ? nestedValues : values)}`,
      );
      const body = random() < 0.1 ? pick([`"${code}"`, '[1]', 'null', 'nope']) : `{${members.join(',')}}`;
      const small = judge(answer(body), sent, defaultTemplate);
      // The same document, padded past the limit with the whitespace JSON allows.
      expect(judge(answer(`${body}${' '.repeat(70 * 1024)}`), sent, defaultTemplate), body).toStrictEqual(small);
      kinds.add(small.kind);
    }
    expect([...kinds].sort()).toEqual(['accepted', 'answer-contradicts', 'code-missing']);
  });
});

describe('judge, when the merchant makes the code (no {{code}} in the template)', () => {
  const merchantMakes = { expectedCode: undefined };

  it('accepts a non-empty code at /couponCode, or at the configured pointer, and returns it', () => {
    expect(judge(answer('{"couponCode":"SHOP-7731"}'), merchantMakes, customTemplate)).toMatchObject({
      accepted: true,
      code: 'SHOP-7731',
      pointer: '/couponCode',
      detail: 'The endpoint answered 200 with the code SHOP-7731 at /couponCode.',
    });
    expect(
      judge(answer('{"data":{"coupon":{"code":"SHOP-1"}}}'), merchantMakes, {
        ...customTemplate,
        codePointer: '/data/coupon/code',
      }),
    ).toMatchObject({ accepted: true, code: 'SHOP-1', pointer: '/data/coupon/code' });
    expect(judge(answer('{"couponCode":"SHOP-9"}'), merchantMakes, defaultTemplate)).toMatchObject({
      accepted: true,
      code: 'SHOP-9',
    });
  });

  it('refuses an empty code, a missing one, a plain-text body and a contradicting answer', () => {
    for (const body of ['{"couponCode":""}', '{"couponCode":"   "}', '{"couponCode":7}', '{"id":"SHOP-1"}', 'SHOP-1']) {
      const verdict = judge(answer(body), merchantMakes, customTemplate);
      expect(verdict, body).toMatchObject({ accepted: false, kind: 'code-missing' });
      expect(verdict.code, body).toBeUndefined();
    }
    expect(judge(answer('{"couponCode":"SHOP-1"}'), merchantMakes, customTemplate).accepted).toBe(true);
    expect(judge(answer('{"couponCode":"SHOP-1","error":"quota"}'), merchantMakes, customTemplate)).toMatchObject({
      accepted: false,
      kind: 'answer-contradicts',
    });
  });

  it('reads the code from the parsed document (default template) as from the scanned text (custom)', () => {
    const seen = ({ accepted, kind, code, pointer }: ReturnType<typeof judge>) => ({ accepted, kind, code, pointer });
    for (const body of [
      '{"couponCode":"SHOP-1"}',
      '{"couponCode":""}',
      '{"couponCode":"A","couponCode":"B"}',
      '{"couponCode":"A","ok":false}',
      '["SHOP-1"]',
    ]) {
      const text = answer(body);
      expect(seen(judge(text, merchantMakes, defaultTemplate)), body).toEqual(
        seen(judge(text, merchantMakes, customTemplate)),
      );
    }
  });
});
