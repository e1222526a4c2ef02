// JSON pointers and internal $refs: the escaping every caller relies on (RFC 6901).
import { describe, expect, it } from 'vitest';
import { formatPointer, parsePointer, resolveRef, valueAt } from '../../openapi/json-pointer.ts';

describe('JSON pointers', () => {
  it('escape ~ and / in segments and read them back', () => {
    const segments = ['paths', '/coupons/{code}', 'a~b', '~1'];
    const pointer = formatPointer(segments);
    expect(pointer).toBe('/paths/~1coupons~1{code}/a~0b/~01');
    expect(parsePointer(pointer)).toEqual(segments);
  });

  it('"" is the whole document; a missing leading slash is tolerated', () => {
    const document = { data: { code: 'GB-1' } };
    expect(valueAt(document, parsePointer(''))).toBe(document);
    expect(valueAt(document, parsePointer('data/code'))).toBe('GB-1');
  });

  it('index arrays, and stop at what is not there (inherited properties included)', () => {
    const document = { items: [{ code: 'A' }, { code: 'B' }] };
    expect(valueAt(document, parsePointer('/items/1/code'))).toBe('B');
    expect(valueAt(document, parsePointer('/items/2/code'))).toBeUndefined();
    expect(valueAt(document, parsePointer('/items/0/code/length/x'))).toBeUndefined();
    expect(valueAt(document, parsePointer('/constructor'))).toBeUndefined();
  });
});

describe('internal $refs', () => {
  const document = { components: { responses: { 'a/b': { description: 'slash' }, '{x}': { description: 'braces' } } } };

  it('follow escaped and percent-encoded fragments', () => {
    expect(resolveRef(document, { $ref: '#/components/responses/a~1b' })).toEqual({ description: 'slash' });
    expect(resolveRef(document, { $ref: '#/components/responses/%7Bx%7D' })).toEqual({ description: 'braces' });
  });

  it('return a node without $ref as it is, and refuse a dangling or external one', () => {
    const node = { description: 'inline' };
    expect(resolveRef(document, node)).toBe(node);
    expect(() => resolveRef(document, { $ref: '#/components/missing' })).toThrow(/Nothing at #\/components\/missing/);
    expect(() => resolveRef(document, { $ref: 'other.yaml#/x' })).toThrow(/internal/);
  });
});
