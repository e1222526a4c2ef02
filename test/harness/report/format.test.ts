import { describe, expect, it } from 'vitest';
import { formatDuration, formatTimestamp } from '../../../harness/report/format.ts';

describe('formatDuration', () => {
  it.each([
    [0.42, '0.4 ms'],
    [5, '5 ms'],
    [7.46, '7.5 ms'],
    [320.4, '320 ms'],
    [1000, '1 s'],
    [1449, '1.4 s'],
    [125_000, '2 min 5 s'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatTimestamp', () => {
  it('reads as a UTC date and time, and leaves what is not a date as it is', () => {
    expect(formatTimestamp('2025-11-26T12:00:00.000Z')).toBe('2025-11-26 12:00:00 UTC');
    expect(formatTimestamp('soon')).toBe('soon');
  });
});
