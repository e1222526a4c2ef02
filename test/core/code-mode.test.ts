// Who makes the code is read from the template, once, for every part of the kit; and answers are
// judged together where the merchant makes the codes: a code given to two deliveries is one coupon
// for two redemptions.
import { describe, expect, it } from 'vitest';
import { defaultConfiguration } from '../../core/config/default-configuration.ts';
import { codeRegister, judgeDistinct } from '../../core/judge/distinct-codes.ts';
import { judge } from '../../core/judge/judge.ts';
import { codeModeOf } from '../../core/render/code-mode.ts';

const withPayload = (payload?: string) => ({
  ...defaultConfiguration('https://shop.example/coupons', 't'),
  ...(payload === undefined ? {} : { payload }),
});

describe('codeModeOf', () => {
  it('is gameball when the template carries {{code}}: the default, the extended, the API reference and tutorial templates', () => {
    expect(codeModeOf(defaultConfiguration('https://shop.example/coupons', 't'))).toBe('gameball');
    expect(codeModeOf(defaultConfiguration('https://shop.example/coupons', 't', 'extended'))).toBe('gameball');
    expect(codeModeOf(withPayload('{"customerId":"{{playerUniqueId}}","amount":"{{value}}","code":"{{code}}"}'))).toBe(
      'gameball',
    );
    expect(codeModeOf(withPayload('{"code":"{{ code }}","value":"{{amount}}"}'))).toBe('gameball');
  });

  it('is merchant when it does not: the merchant generates the code', () => {
    expect(codeModeOf(defaultConfiguration('https://shop.example/coupons', 't', 'merchant-code'))).toBe('merchant');
    expect(codeModeOf(withPayload('{"code":"fixed","customer":"{{playerUniqueId}}"}'))).toBe('merchant');
    expect(codeModeOf(withPayload('{"customerId":"{{playerUniqueId}}","value":"{{amount}}"}'))).toBe('merchant');
  });
});

describe('judgeDistinct', () => {
  const answer = (code: string) => ({
    status: 200,
    body: JSON.stringify({ couponCode: code }),
    headers: { 'content-type': 'application/json' },
  });
  const location = { usesDefaultTemplate: true };
  const verdictFor = (code: string) => judge(answer(code), { expectedCode: undefined }, location);

  it('accepts a new code and the same delivery answered its code again', () => {
    const register = codeRegister<string>();
    expect(judgeDistinct(verdictFor('SHOP-1'), register, 'first', (d) => d)).toMatchObject({ accepted: true });
    expect(judgeDistinct(verdictFor('SHOP-1'), register, 'first', (d) => d)).toMatchObject({ accepted: true });
    expect(judgeDistinct(verdictFor('SHOP-2'), register, 'second', (d) => d)).toMatchObject({ accepted: true });
  });

  it('refuses a code another delivery got, as duplicate-code, naming that delivery', () => {
    const register = codeRegister<string>();
    judgeDistinct(verdictFor('SHOP-1'), register, 'first', (d) => d);
    const verdict = judgeDistinct(verdictFor('SHOP-1'), register, 'second', (d) => `the ${d} delivery`);
    expect(verdict).toMatchObject({ accepted: false, kind: 'duplicate-code', code: 'SHOP-1' });
    expect(verdict.detail).toContain('its code SHOP-1 was already given to another delivery (the first delivery)');
    expect(verdict.findings[0]).toMatchObject({ severity: 'failure', kind: 'duplicate-code' });
  });

  it('leaves a refused verdict as it is (an empty code is code-missing, not a duplicate)', () => {
    const register = codeRegister<string>();
    const empty = judge(answer(''), { expectedCode: undefined }, location);
    expect(judgeDistinct(empty, register, 'a', (d) => d).kind).toBe('code-missing');
    expect(judgeDistinct(empty, register, 'b', (d) => d).kind).toBe('code-missing');
  });
});
