import { describe, expect, it } from 'vitest';
import {
  creditedOn,
  creditedToday,
  EARNINGS_DAYS,
  EarningsByDaySchema,
  earningsByDay,
  earningsWindowStart,
  localDate,
} from './earnings-by-day.ts';

const BERLIN = 'Europe/Berlin';
/** 2026-03-04 10:00 in Berlin (UTC+1 in winter). */
const NOW = Date.UTC(2026, 2, 4, 9, 0);

describe('localDate', () => {
  it.each([
    ['just before Berlin midnight', Date.UTC(2026, 2, 3, 22, 59), BERLIN, '2026-03-03'],
    ['Berlin midnight', Date.UTC(2026, 2, 3, 23, 0), BERLIN, '2026-03-04'],
    ['the same instant in UTC', Date.UTC(2026, 2, 3, 23, 0), 'UTC', '2026-03-03'],
    ['the same instant in Los Angeles', Date.UTC(2026, 2, 4, 7, 59), 'America/Los_Angeles', '2026-03-03'],
    ['the day clocks go forward in Berlin', Date.UTC(2026, 2, 29, 1, 30), BERLIN, '2026-03-29'],
  ])('%s', (_name, at, zone, date) => {
    expect(localDate(at, zone)).toBe(date);
  });
});

describe('earningsByDay', () => {
  it('sums verified rewards per local day over the last seven days, oldest first, empty days included', () => {
    const view = earningsByDay(
      [
        { at: Date.UTC(2026, 1, 25, 12, 0), reward: '1' }, // 2026-02-25: before the window
        { at: Date.UTC(2026, 1, 26, 12, 0), reward: '7' },
        { at: Date.UTC(2026, 2, 3, 22, 59), reward: '100' }, // 23:59 on the 3rd in Berlin
        { at: Date.UTC(2026, 2, 3, 23, 0), reward: '20' }, // 00:00 on the 4th in Berlin
        { at: Date.UTC(2026, 2, 4, 8, 0), reward: '3' },
        { at: NOW + 60_000, reward: '900' }, // later today by the ledger (a clock that stepped back): still today
        { at: NOW + 86_400_000, reward: '5000' }, // a later date than `now`'s: outside the view
      ],
      NOW,
      BERLIN,
    );
    expect(EarningsByDaySchema.parse(view)).toEqual(view);
    expect(view).toEqual({
      timeZone: BERLIN,
      asOf: NOW,
      days: [
        { date: '2026-02-26', credited: '7', jobs: 1 },
        { date: '2026-02-27', credited: '0', jobs: 0 },
        { date: '2026-02-28', credited: '0', jobs: 0 },
        { date: '2026-03-01', credited: '0', jobs: 0 },
        { date: '2026-03-02', credited: '0', jobs: 0 },
        { date: '2026-03-03', credited: '100', jobs: 1 },
        { date: '2026-03-04', credited: '923', jobs: 3 },
      ],
    });
  });

  it('adds amounts beyond 2^53 exactly', () => {
    const reward = '900000000000000000'; // 0.9 tokens at 18 decimals
    const view = earningsByDay(
      [
        { at: NOW - 1, reward },
        { at: NOW - 2, reward },
      ],
      NOW,
      'UTC',
    );
    expect(view.days.at(-1)).toEqual({ date: '2026-03-04', credited: '1800000000000000000', jobs: 2 });
  });

  it('crosses a month and a year', () => {
    const view = earningsByDay([], Date.UTC(2027, 0, 2, 12, 0), 'UTC');
    expect(view.days.map((day) => day.date)).toEqual([
      '2026-12-27',
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
  });

  it('queries from far enough back for any zone', () => {
    const oldestCounted = Date.UTC(2026, 1, 25, 23, 0); // Berlin midnight starting 2026-02-26
    expect(earningsWindowStart(NOW, BERLIN)).toBe(oldestCounted);
    expect(EARNINGS_DAYS).toBe(7);
  });
});

describe('creditedToday', () => {
  const view = earningsByDay([{ at: NOW - 60_000, reward: '42' }], NOW, BERLIN);

  it.each([
    ['the moment it was computed', NOW, 42n],
    ['later the same Berlin day', Date.UTC(2026, 2, 4, 22, 59), 42n],
    ['after Berlin midnight, before any new credit', Date.UTC(2026, 2, 4, 23, 0), 0n],
    ['a week later', NOW + 7 * 86_400_000, 0n],
  ])('%s', (_name, now, expected) => {
    expect(creditedToday(view, now)).toBe(expected);
  });

  it('reads a day inside the view, and 0 for one outside it', () => {
    expect(creditedOn(view, '2026-03-04')).toBe(42n);
    expect(creditedOn(view, '2026-03-01')).toBe(0n);
    expect(creditedOn(view, '2025-03-04')).toBe(0n);
  });
});
