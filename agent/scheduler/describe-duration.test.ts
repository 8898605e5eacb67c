import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeDuration } from './describe-duration.ts';

describe('describeDuration', () => {
  it.each([
    [0, '0 s'],
    [999, '0 s'],
    [40_000, '40 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [5 * 60_000, '5 min'],
    [89_000, '1 min'],
    [3_599_999, '59 min'],
    [3_600_000, '1 h'],
    [80 * 60_000, '1 h 20 min'],
    [23 * 3_600_000 + 59 * 60_000, '23 h 59 min'],
    [24 * 3_600_000, '1 d'],
    [27 * 3_600_000, '1 d 3 h'],
    [30 * 24 * 3_600_000, '30 d'],
  ])('rounds passed time down: %i ms is "%s"', (ms, text) => {
    expect(describeDuration(ms)).toBe(text);
  });

  it.each([
    [1, '1 s'],
    [9_200, '10 s'],
    [59_500, '1 min'],
    [61_000, '2 min'],
    [59 * 60_000 + 1, '1 h'],
    [3_600_001, '1 h 1 min'],
    [24 * 3_600_000 - 1, '1 d'],
  ])('rounds countdowns up: %i ms is "%s"', (ms, text) => {
    expect(describeDuration(ms, 'up')).toBe(text);
  });

  it('treats a negative duration (clock skew) as none', () => {
    expect(describeDuration(-5_000)).toBe('0 s');
  });

  it('always names one or two units with whole numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 24 * 3_600_000 }), fc.constantFrom('down', 'up'), (ms, rounding) => {
        expect(describeDuration(ms, rounding as 'down' | 'up')).toMatch(/^\d+ (s|min|h|d)( \d+ (min|h))?$/);
      }),
    );
  });
});
