import { describe, expect, it } from 'vitest';
import { earningsByDay } from '../agent/earnings/earnings-by-day.ts';
import { formatTrayTokens, nextEarningsDayStart, todayEarningsText } from './tray-earnings.ts';

const TOKEN = 10n ** 18n;

describe('formatTrayTokens', () => {
  it.each([
    [0n, '0 tHIVE'],
    [TOKEN, '1 tHIVE'],
    [(TOKEN * 5n) / 4n, '1.25 tHIVE'],
    [123_456_789_000_000_000n, '0.1234 tHIVE'], // cut, not rounded up to 0.1235
    [99_999_999_999_999n, '< 0.0001 tHIVE'], // credited, but too little for four decimals
    [100_000_000_000_000n, '0.0001 tHIVE'],
    [1n, '< 0.0001 tHIVE'],
    [1_234_567n * TOKEN, '1234567 tHIVE'],
  ])('%s base units: %s', (amount, text) => {
    expect(formatTrayTokens(amount)).toBe(text);
  });
});

describe('todayEarningsText and nextEarningsDayStart', () => {
  /** 2026-03-29 00:30 in Berlin, the night clocks go forward at 02:00. */
  const now = Date.UTC(2026, 2, 28, 23, 30);
  const view = earningsByDay([{ at: now - 60_000, reward: '700000000000000000' }], now, 'Europe/Berlin');

  it('is unknown until the agent sent its view', () => {
    expect(todayEarningsText(undefined, now)).toBeNull();
    expect(nextEarningsDayStart(undefined, now)).toBeNull();
  });

  it('reads today by the clock passed in', () => {
    expect(todayEarningsText(view, now)).toBe('0.7 tHIVE');
    expect(todayEarningsText(view, now + 86_400_000)).toBe('0 tHIVE');
  });

  it('names the next midnight in the earnings’ zone, across a daylight-saving night', () => {
    // 2026-03-30 00:00 in Berlin is 22:00 UTC (summer time, UTC+2), 23 hours of wall clock later.
    expect(nextEarningsDayStart(view, now)).toBe(Date.UTC(2026, 2, 29, 22, 0));
  });
});
