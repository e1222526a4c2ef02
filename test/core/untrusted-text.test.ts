import { describe, expect, it } from 'vitest';
import { oneLineExcerpt, replaceControlCharacters, truncateText } from '../../core/report/untrusted-text.ts';

describe('untrusted text', () => {
  it('shows control characters and bidi overrides as escapes, keeping Arabic, emoji, tabs and newlines', () => {
    expect(replaceControlCharacters('a\u001b[31mb\u0000c\u202e')).toBe('a\\u001b[31mb\\u0000c\\u202e');
    expect(replaceControlCharacters('مرحبا 😀\tx\ny')).toBe('مرحبا 😀\tx\ny');
  });

  it('puts a body on one line and cuts it with an ellipsis, never inside an emoji', () => {
    expect(oneLineExcerpt('{\n  "error": "bad"\n}', 40)).toBe('{ "error": "bad" }');
    const cut = oneLineExcerpt(`${'x'.repeat(8)}😀😀😀`, 10);
    expect(cut).toBe(`${'x'.repeat(8)}…`);
    expect(oneLineExcerpt(`${'a'.repeat(200)}${' '.repeat(5000)}tail`, 50)).toMatch(/…$/);
  });

  it('says how much of a long text it left out', () => {
    expect(truncateText('short', 10)).toBe('short');
    expect(truncateText('x'.repeat(1500), 1000)).toBe(`${'x'.repeat(1000)}\n… 500 more characters not shown`);
  });
});
