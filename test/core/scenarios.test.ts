// Scenario files are data: each is checked against the contract when loaded, so a broken file is
// named at start-up instead of producing deliveries the contract (and Gameball) would never send.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, scenarios } from '../../core/scenarios/scenarios.ts';

const redeem = JSON.parse(readFileSync(new URL('../../core/scenarios/redeem.json', import.meta.url), 'utf8'));

describe('scenario files', () => {
  it('every shipped file loads', () => {
    expect(scenarios.map((s) => s.id)).toEqual([
      'redeem',
      'campaign',
      'free-shipping',
      'free-product',
      'test-connection',
    ]);
  });

  it.each([
    ['a value of the wrong type', { values: { ...redeem.values, value: '10' } }, /bad\.json.*value must be number/],
    [
      'a missing required value',
      { values: { ...redeem.values, playerUniqueId: undefined } },
      /playerUniqueId is required/,
    ],
    ['a prefix that makes codes the contract refuses', { codePrefix: 'GB 10' }, /code must match pattern/],
    ['an unknown coupon kind', { couponKind: 'bogus' }, /couponKind must be one of percentage, fixed/],
    ['no id', { id: '' }, /id must be a non-empty string/],
  ])('refuses %s, naming the file and the field', (_name, change, message) => {
    expect(() => parseScenario(JSON.parse(JSON.stringify({ ...redeem, ...change })), 'bad.json')).toThrow(message);
  });

  it('keeps the values as written, without the code or couponType used to check them', () => {
    const scenario = parseScenario(redeem, 'redeem.json');
    expect(scenario.values).toEqual(redeem.values);
  });
});
