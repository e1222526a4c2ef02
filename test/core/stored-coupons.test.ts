// The one reading of a merchant's lookup answer (core/lookup/stored-coupons.ts), which verify's
// --lookup and load --reconcile share; and where a template puts each placeholder, which verify
// reads the stored record at.
import { describe, expect, it } from 'vitest';
import { defaultPayloadTemplate } from '../../core/config/default-configuration.ts';
import { readStoredCoupons } from '../../core/lookup/stored-coupons.ts';
import { placeholderPointers } from '../../core/render/placeholder-pointers.ts';

const code = 'GB10-ABC123';
const read = (status: number, json: unknown) => readStoredCoupons({ status, json }, code);

describe('readStoredCoupons', () => {
  it.each([
    ['404', read(404, { code: 'not_found' }), 0],
    ['200 []', read(200, []), 0],
    ['200 {"error":"not found"}', read(200, { error: 'not found' }), 0],
    ['200 with a list of other codes', read(200, [{ couponCode: 'GB10-OTHER' }]), 0],
    ['200 with the coupon', read(200, { couponCode: code, value: 10 }), 1],
    ['200 with the coupon wrapped', read(200, { data: { coupon: { code } } }), 1],
    ['200 with two rows of it and another', read(200, [{ code }, { code }, { code: 'GB10-OTHER' }]), 2],
  ])('%s: %s stored', (_name, reading, count) => {
    expect(reading).toHaveProperty('stored');
    expect((reading as { stored: unknown[] }).stored).toHaveLength(count);
  });

  it('is a problem, not a count, for another status or a 200 that is neither an object nor an array', () => {
    expect(read(500, undefined)).toEqual({ problem: 'answered 500' });
    expect(read(200, undefined)).toEqual({
      problem: 'answered 200 with something that is neither a JSON object nor an array',
    });
    expect(read(200, code)).toHaveProperty('problem');
  });

  it('walks a record of any depth without recursion', () => {
    let deep: unknown = { code };
    for (let i = 0; i < 100_000; i++) deep = { next: deep };
    const reading = read(200, deep) as { stored: unknown[] };
    expect(reading.stored).toHaveLength(1);
    expect(reading.stored[0]).toBe(deep);
  });
});

describe('placeholderPointers', () => {
  it('finds each placeholder that is a whole value, quoted or not, nested or not', () => {
    const pointers = placeholderPointers(
      '{"customer":{"id":"{{playerUniqueId}}"},"amount":{{value}},"label":"CUS-{{playerUniqueId}}","kind":"{{couponType}}","codes":["{{code}}"]}',
    );
    expect(Object.fromEntries(pointers)).toEqual({
      playerUniqueId: ['/customer/id'],
      value: ['/amount'],
      couponType: ['/kind'],
      code: ['/codes/0'],
    });
    expect(placeholderPointers(defaultPayloadTemplate).get('playerUniqueId')).toEqual(['/playerUniqueId']);
    expect(placeholderPointers('not json {{code}}').size).toBe(0);
  });
});
