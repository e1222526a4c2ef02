// The bad-input matrix is generated from the merchant request schema: every required property is
// removed, every property gets a wrong type, every bound, enum and pattern is broken, the
// conditional percentage bound included; and a property added to the schema is a new case.
import { describe, expect, it } from 'vitest';
import { badInputCases, deliverySchema } from '../../harness/checks/bad-input-cases.ts';

describe('badInputCases', () => {
  const cases = badInputCases();
  const names = cases.map((c) => c.name);

  it('removes every required property of the schema', () => {
    const schema = deliverySchema();
    expect(schema.required!.length).toBeGreaterThan(0);
    for (const property of schema.required!) expect(names).toContain(`/${property} missing`);
  });

  it('breaks every property with a type, and every bound, enum and pattern', () => {
    for (const property of Object.keys(deliverySchema().properties!)) {
      expect(
        cases.some((c) => c.pointer === `/${property}` && c.keyword === 'type'),
        property,
      ).toBe(true);
    }
    expect(names).toContain('/value below minimum 0 (-1)');
    expect(names).toContain('/value above maximum 100 when /couponType is percentage_discount (101)');
    expect(names).toContain('/code not matching ^[A-Za-z0-9_-]+$ ("has space!")');
    expect(names).toContain('/couponType not one of the allowed values ("gb-coupon-unknown-value")');
    expect(names).toContain('/playerUniqueId shorter than 1 ("")');
  });

  it('names each case by the JSON pointer of the property it breaks, once', () => {
    for (const c of cases) expect(c.name.startsWith(`${c.pointer} `)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it('calls accepting a broken coupon-defining property a failure, and the rest advice', () => {
    const severity = (name: string) => cases.find((c) => c.name === name)!.severity;
    expect(severity('/playerUniqueId missing')).toBe('failure');
    expect(severity('/value below minimum 0 (-1)')).toBe('failure');
    expect(severity('/playerUniqueId longer than 200 (201 characters)')).toBe('warning');
    expect(severity('/minOrderValue below minimum 0 (-1)')).toBe('warning');
  });

  it('a property added to a copy of the schema is a new case, without code', () => {
    const schema = structuredClone(deliverySchema());
    schema.required = [...schema.required!, 'currency'];
    schema.properties = { ...schema.properties, currency: { type: 'string', enum: ['EGP', 'USD'] } };
    const added = badInputCases(schema).filter((c) => c.pointer === '/currency');
    expect(added.map((c) => c.name)).toEqual([
      '/currency missing',
      '/currency of the wrong type (12345)',
      '/currency not one of the allowed values ("gb-coupon-unknown-value")',
    ]);
    expect(added.every((c) => c.severity === 'failure')).toBe(true);
    expect(badInputCases(schema)).toHaveLength(cases.length + 3);
  });
});
