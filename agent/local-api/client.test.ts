import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './client.ts';

describe('reconnectDelayMs', () => {
  it('doubles from 0.5 s and stops at 10 s', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((a) => reconnectDelayMs(a, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 10000, 10000, 10000,
    ]);
  });
  it('jitters within ±25 %', () => {
    expect(reconnectDelayMs(2, () => 0)).toBe(1500);
    expect(reconnectDelayMs(2, () => 0.999999)).toBe(2500);
  });
});
