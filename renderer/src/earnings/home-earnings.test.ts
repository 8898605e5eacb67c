import { describe, expect, it } from 'vitest';
import { earningsByDay } from '../../../agent/earnings/earnings-by-day.ts';
import type { TimelineEntry } from '../../../agent/local-api/contract.ts';
import { todayBounds } from '../timeline/today.ts';
import { homeEarnings, MIN_EARNING_MS_FOR_RATE } from './home-earnings.ts';

const ZONE = 'Europe/Berlin';
const NOW = Date.UTC(2026, 10, 25, 12, 0); // 13:00 in Berlin
const HOUR = 3_600_000;
const TOKEN = 10n ** 18n;

function entry(at: number, state: TimelineEntry['state']): TimelineEntry {
  return { at, state, cause: state === 'earning' ? 'idle' : 'owner-active', reason: state };
}

function timeline(entries: TimelineEntry[]) {
  return { ...todayBounds(NOW, ZONE), entries };
}

describe('homeEarnings', () => {
  it('sums today and the last 7 days, and divides today by the hours spent earning', () => {
    const view = earningsByDay(
      [
        { at: NOW - 1 * HOUR, reward: String(3n * TOKEN) },
        { at: NOW - 2 * HOUR, reward: String(1n * TOKEN) },
        { at: NOW - 3 * 24 * HOUR, reward: String(5n * TOKEN) },
        { at: NOW - 30 * 24 * HOUR, reward: String(100n * TOKEN) },
      ],
      NOW,
      ZONE,
    );
    const dayStart = todayBounds(NOW, ZONE).dayStartMs;
    // Earning 08:00-10:00 local, waiting 10:00-11:00, earning again from 11:00 until now (13:00): 4 hours.
    const result = homeEarnings(
      view,
      timeline([
        entry(dayStart - HOUR, 'waiting'),
        entry(dayStart + 8 * HOUR, 'earning'),
        entry(dayStart + 10 * HOUR, 'waiting'),
        entry(dayStart + 11 * HOUR, 'earning'),
      ]),
      NOW,
    );
    expect(result.today).toBe(4n * TOKEN);
    expect(result.lastSevenDays).toBe(9n * TOKEN);
    expect(result.earningMsToday).toBe(4 * HOUR);
    expect(result.perEarningHour).toBe(TOKEN);
  });

  it('gives no rate without a minute of earning or without a credit today', () => {
    const credited = earningsByDay([{ at: NOW - HOUR, reward: '7' }], NOW, ZONE);
    const short = timeline([entry(NOW - MIN_EARNING_MS_FOR_RATE + 1, 'earning')]);
    expect(homeEarnings(credited, short, NOW).perEarningHour).toBeNull();
    expect(homeEarnings(credited, null, NOW)).toMatchObject({ today: 7n, earningMsToday: 0, perEarningHour: null });
    const nothing = earningsByDay([], NOW, ZONE);
    const long = timeline([entry(NOW - 2 * HOUR, 'earning')]);
    expect(homeEarnings(nothing, long, NOW)).toMatchObject({ today: 0n, lastSevenDays: 0n, perEarningHour: null });
  });
});
