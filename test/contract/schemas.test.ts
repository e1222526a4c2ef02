// The schemas say what Gameball and the merchant may send; these pin the decisions of the facts
// file (canonical configuration, tutorial variants) and the merchant request's limits.
import { describe, expect, it } from 'vitest';
import { contractDocument, describeErrors, requestBodyValidator, schemaValidator } from '../../openapi/contract.ts';

const configPath = '/api/v4.0/integrations/configurations/coupon';
const validateConfig = requestBodyValidator('gameball', 'put', configPath);
const validateDelivery = requestBodyValidator('merchant', 'post', '/coupons');

function namedExample(name: string): Record<string, unknown> {
  const examples = contractDocument('gameball').components as {
    examples: Record<string, { value: Record<string, unknown> }>;
  };
  return structuredClone(examples.examples[name]!.value);
}

const defaultConfiguration = namedExample('DefaultConfiguration');
const adam = namedExample('AdamRedeemsDelivery');

function fieldsRejected(validate: typeof validateDelivery, body: unknown): string[] {
  expect(validate(body)).toBe(false);
  return describeErrors(validate.errors).map((p) => p.field);
}

describe('coupon configuration (PUT /configurations/coupon)', () => {
  it('accepts the default configuration in its canonical shape', () => {
    expect(validateConfig(defaultConfiguration), JSON.stringify(validateConfig.errors)).toBe(true);
  });

  it('ships the default payload template byte for byte', () => {
    expect(defaultConfiguration.payload).toBe(
      '{"playerUniqueId":"{{playerUniqueId}}","code":"{{code}}","value":{{value}},"couponType":"{{discount_type}}"}',
    );
  });

  it('accepts the tutorial variants: payload as an object, platforms as strings, contentType', () => {
    expect(validateConfig({ ...defaultConfiguration, payload: { customerId: '{{playerUniqueId}}' } })).toBe(true);
    expect(validateConfig({ ...defaultConfiguration, platforms: ['web', 'mobile'] })).toBe(true);
    expect(validateConfig({ ...defaultConfiguration, contentType: 'application/json' })).toBe(true);
    expect(validateConfig(namedExample('TutorialConfiguration'))).toBe(true);
  });

  it('rejects couponMapping with booleans, naming the field', () => {
    const fields = fieldsRejected(validateConfig, { ...defaultConfiguration, couponMapping: { percentage: true } });
    expect(fields).toContain('couponMapping/percentage');
  });

  it("rejects the older tutorial's authentication object and any unknown property", () => {
    expect(
      fieldsRejected(validateConfig, { ...defaultConfiguration, authentication: { type: 'Bearer', token: 'x' } }),
    ).toContain('authentication');
    expect(fieldsRejected(validateConfig, { ...defaultConfiguration, retries: 3 })).toContain('retries');
  });

  it('requires url and method, and only POST, PUT or GET', () => {
    expect(fieldsRejected(validateConfig, { method: 'POST' })).toContain('url');
    expect(fieldsRejected(validateConfig, { ...defaultConfiguration, method: 'DELETE' })).toContain('method');
    expect(fieldsRejected(validateConfig, { ...defaultConfiguration, url: 'ftp://shop.example.com' })).toContain('url');
  });

  it('the canonical shape (what GET answers) takes the payload only as a string', () => {
    const validateCanonical = schemaValidator('gameball', 'CouponConfiguration');
    expect(validateCanonical(defaultConfiguration)).toBe(true);
    expect(validateCanonical({ ...defaultConfiguration, payload: { code: '{{code}}' } })).toBe(false);
    expect(validateCanonical({ ...defaultConfiguration, platforms: ['web'] })).toBe(false);
  });
});

describe('merchant request (the coupon delivery)', () => {
  it('accepts the Adam example', () => {
    expect(validateDelivery(adam)).toBe(true);
  });

  it('rejects a percentage_discount of 150', () => {
    expect(fieldsRejected(validateDelivery, { ...adam, value: 150 })).toEqual(['value']);
  });

  it('accepts a fixed_discount of 150 (the 100 cap is for percentages only)', () => {
    expect(validateDelivery({ ...adam, couponType: 'fixed_discount', value: 150 })).toBe(true);
  });

  it('rejects a code with a space', () => {
    expect(fieldsRejected(validateDelivery, { ...adam, code: 'GB10 ADM' })).toEqual(['code']);
  });

  it('rejects an empty playerUniqueId', () => {
    expect(fieldsRejected(validateDelivery, { ...adam, playerUniqueId: '' })).toEqual(['playerUniqueId']);
  });

  it('rejects a negative minOrderValue', () => {
    expect(fieldsRejected(validateDelivery, { ...adam, minOrderValue: -1 })).toEqual(['minOrderValue']);
  });

  it('rejects a missing required field and names it', () => {
    const { playerUniqueId: _dropped, ...withoutCustomer } = adam;
    expect(fieldsRejected(validateDelivery, withoutCustomer)).toEqual(['playerUniqueId']);
  });

  it('accepts a delivery without code: the template has no {{code}}, so the merchant generates it', () => {
    const { code: _dropped, ...withoutCode } = adam;
    expect(validateDelivery(withoutCode)).toBe(true);
  });

  it("accepts Gameball's custom coupon type", () => {
    expect(validateDelivery({ ...adam, couponType: 'custom', value: 0 })).toBe(true);
  });

  it('accepts an unknown extra property (tolerant reader)', () => {
    expect(validateDelivery({ ...adam, campaignId: 'CMP_77', tier: { name: 'Gold' } })).toBe(true);
  });

  it('accepts null for every optional field', () => {
    const optional = [
      'expiresAfter',
      'usageLimit',
      'oncePerCustomer',
      'minOrderValue',
      'entitledProductIds',
      'entitledCollectionIds',
      'source',
    ];
    expect(validateDelivery({ ...adam, ...Object.fromEntries(optional.map((f) => [f, null])) })).toBe(true);
  });

  it('accepts any Unicode customer id up to 200 characters, not 201', () => {
    expect(validateDelivery({ ...adam, playerUniqueId: 'عميل_١٠٤٨٢_😀' })).toBe(true);
    expect(validateDelivery({ ...adam, playerUniqueId: '😀'.repeat(200) })).toBe(true);
    expect(fieldsRejected(validateDelivery, { ...adam, playerUniqueId: 'x'.repeat(201) })).toEqual(['playerUniqueId']);
  });
});
