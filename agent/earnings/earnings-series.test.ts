import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wallTimeAt } from '../scheduler/wall-clock.ts';
import {
  ALL_TIME_MAX_DAYS,
  bucketEarnings,
  EARNINGS_RANGES,
  type EarningsRange,
  EarningsSeriesSchema,
  earliestRewardShown,
  type VerifiedReward,
} from './earnings-series.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TOKEN = 10n ** 18n;
/** Wed 2026-03-18 14:25:30.250 UTC. */
const NOW = Date.UTC(2026, 2, 18, 14, 25, 30, 250);

const series = (range: EarningsRange, rewards: VerifiedReward[], now = NOW, timeZone = 'UTC') =>
  bucketEarnings({ range, rewards, now, timeZone });
const wallLabel = (at: number, zone: string) => {
  const wall = wallTimeAt(at, zone);
  return `${wall.month}-${wall.day} ${wall.hour}:${String(wall.minute).padStart(2, '0')}`;
};

describe('bucketEarnings: the fixed ranges', () => {
  it('24 h: 24 whole local hours, the last one holding now', () => {
    const result = series('24h', []);
    expect(result.bucketSize).toBe('hour');
    expect(result.buckets).toHaveLength(24);
    expect(result.buckets[23]).toEqual({
      start: Date.UTC(2026, 2, 18, 14),
      end: Date.UTC(2026, 2, 18, 15),
      amount: '0',
      jobs: 0,
    });
    expect(result.buckets[0]?.start).toBe(Date.UTC(2026, 2, 17, 15));
    expect(result).toMatchObject({ total: '0', jobs: 0, range: '24h', timeZone: 'UTC', now: NOW });
  });

  it('7 d and 30 d: local days up to and including today', () => {
    const week = series('7d', []);
    expect(week.bucketSize).toBe('day');
    expect(week.buckets.map((bucket) => bucket.start)).toEqual(
      [6, 5, 4, 3, 2, 1, 0].map((back) => Date.UTC(2026, 2, 18 - back)),
    );
    expect(week.buckets.at(-1)?.end).toBe(Date.UTC(2026, 2, 19));
    expect(series('30d', []).buckets).toHaveLength(30);
    expect(series('30d', []).buckets[0]?.start).toBe(Date.UTC(2026, 1, 17));
  });

  it('puts each reward in the bucket of the moment it was verified, and sums exactly', () => {
    const rewards = [
      { at: Date.UTC(2026, 2, 18, 14, 0, 0, 0), reward: String(3n * TOKEN) },
      { at: Date.UTC(2026, 2, 18, 13, 59, 59, 999), reward: String(1n) },
      { at: Date.UTC(2026, 2, 18, 13, 0), reward: String(2n * TOKEN + 5n) },
      // Before the 24 hours: not shown, not counted.
      { at: Date.UTC(2026, 2, 17, 14, 59, 59, 999), reward: String(7n) },
    ];
    const result = series('24h', rewards);
    expect(result.buckets[23]).toMatchObject({ amount: String(3n * TOKEN), jobs: 1 });
    expect(result.buckets[22]).toMatchObject({ amount: String(2n * TOKEN + 6n), jobs: 2 });
    expect(result.total).toBe(String(5n * TOKEN + 6n));
    expect(result.jobs).toBe(3);
    // 18-decimal sums beyond 2^63 stay exact.
    const huge = series('7d', [
      { at: NOW - HOUR, reward: String(9n * 10n ** 30n) },
      { at: NOW - 2 * HOUR, reward: String(9n * 10n ** 30n) },
    ]);
    expect(huge.total).toBe(String(18n * 10n ** 30n));
  });

  it('follows the owner’s zone: local midnights and hours that start on the half hour', () => {
    const kolkata = series('24h', [], NOW, 'Asia/Kolkata');
    // 14:25 UTC is 19:55 in Kolkata; its hour started at 19:00 local, 13:30 UTC.
    expect(kolkata.buckets.at(-1)?.start).toBe(Date.UTC(2026, 2, 18, 13, 30));
    const tokyo = series('7d', [], NOW, 'Asia/Tokyo');
    expect(wallLabel(tokyo.buckets.at(-1)?.start ?? 0, 'Asia/Tokyo')).toBe('3-18 0:00');
    expect(tokyo.buckets.at(-1)?.start).toBe(Date.UTC(2026, 2, 17, 15));
  });

  it('has a 23-hour day and 23 hours that are each one hour across the spring-forward night (Berlin, 29 March 2026)', () => {
    const now = Date.UTC(2026, 2, 29, 20); // 22:00 in Berlin, summer time since 02:00 local.
    const week = series('7d', [], now, 'Europe/Berlin');
    const today = week.buckets.at(-1);
    expect(today && (today.end - today.start) / HOUR).toBe(23);
    expect(wallLabel(today?.start ?? 0, 'Europe/Berlin')).toBe('3-29 0:00');
    const hours = series('24h', [], now, 'Europe/Berlin');
    expect(hours.buckets.every((bucket) => bucket.end - bucket.start === HOUR)).toBe(true);
    expect(wallLabel(hours.buckets.at(-1)?.start ?? 0, 'Europe/Berlin')).toBe('3-29 22:00');
  });

  it('has a 25-hour day in autumn (New York, 1 November 2026)', () => {
    const now = Date.UTC(2026, 10, 2, 3); // 22:00 on 1 November in New York.
    const today = series('7d', [], now, 'America/New_York').buckets.at(-1);
    expect(today && (today.end - today.start) / HOUR).toBe(25);
  });

  it('tells the ledger where each range starts', () => {
    expect(earliestRewardShown('24h', NOW, 'UTC')).toBe(Date.UTC(2026, 2, 17, 15));
    expect(earliestRewardShown('7d', NOW, 'UTC')).toBe(Date.UTC(2026, 2, 12));
    expect(earliestRewardShown('30d', NOW, 'UTC')).toBe(Date.UTC(2026, 1, 17));
    expect(earliestRewardShown('all', NOW, 'UTC')).toBeNull();
  });
});

describe('bucketEarnings: all time', () => {
  it('has no buckets before the first reward', () => {
    expect(series('all', [])).toEqual({
      range: 'all',
      bucketSize: 'day',
      timeZone: 'UTC',
      now: NOW,
      buckets: [],
      total: '0',
      jobs: 0,
    });
  });

  it('shows at least the last 7 days for a new earner', () => {
    const result = series('all', [{ at: NOW - HOUR, reward: String(5n) }]);
    expect(result.bucketSize).toBe('day');
    expect(result.buckets).toHaveLength(7);
    expect(result.buckets.at(-1)).toMatchObject({ amount: '5', jobs: 1 });
  });

  it('uses days up to 60, then Monday weeks, then months', () => {
    const daysBack = (days: number) => [{ at: NOW - days * DAY, reward: String(1n) }];
    expect(series('all', daysBack(ALL_TIME_MAX_DAYS - 1)).buckets).toHaveLength(ALL_TIME_MAX_DAYS);
    const weeks = series('all', daysBack(ALL_TIME_MAX_DAYS));
    expect(weeks.bucketSize).toBe('week');
    expect(weeks.buckets.every((bucket) => wallTimeAt(bucket.start, 'UTC').weekdayIndex === 0)).toBe(true);
    const months = series('all', daysBack(800));
    expect(months.bucketSize).toBe('month');
    expect(months.buckets.every((bucket) => wallTimeAt(bucket.start, 'UTC').day === 1)).toBe(true);
    expect(months.buckets.at(-1)?.start).toBe(Date.UTC(2026, 2, 1));
    expect(months.buckets.at(-1)?.end).toBe(Date.UTC(2026, 3, 1));
    expect(months.total).toBe('1');
  });
});

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
const reward = (now: number) =>
  fc.record({
    at: fc.integer({ min: now - 900 * DAY, max: now + 2 * DAY }),
    reward: fc.bigInt({ min: 0n, max: 10n ** 24n }).map(String),
  });

describe('bucketEarnings: properties over zones, clocks and rewards', () => {
  it('buckets are contiguous, hold now, follow the schema, and count every reward they cover exactly once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EARNINGS_RANGES),
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.gen(),
        (range, timeZone, now, gen) => {
          const rewards = gen(() => fc.array(reward(now), { maxLength: 40 }));
          const result = bucketEarnings({ range, rewards, now, timeZone });
          expect(EarningsSeriesSchema.parse(result)).toEqual(result);
          const { buckets } = result;
          if (range === 'all' && rewards.length === 0) {
            expect(buckets).toEqual([]);
            return;
          }
          buckets.forEach((bucket, index) => {
            expect(bucket.end).toBeGreaterThan(bucket.start);
            if (index > 0) expect(bucket.start).toBe(buckets[index - 1]?.end);
          });
          const first = buckets[0]?.start ?? 0;
          const last = buckets.at(-1);
          expect(last !== undefined && last.start <= now && now < last.end).toBe(true);
          const covered = rewards.filter((r) => r.at >= first && r.at < (last?.end ?? 0));
          expect(result.jobs).toBe(covered.length);
          expect(BigInt(result.total)).toBe(covered.reduce((sum, r) => sum + BigInt(r.reward), 0n));
          expect(buckets.reduce((sum, bucket) => sum + BigInt(bucket.amount), 0n)).toBe(BigInt(result.total));
          for (const r of covered) {
            const holder = buckets.find((bucket) => bucket.start <= r.at && r.at < bucket.end);
            expect(holder).toBeDefined();
          }
          if (range !== 'all') {
            expect(buckets).toHaveLength({ '24h': 24, '7d': 7, '30d': 30 }[range]);
            expect(earliestRewardShown(range, now, timeZone)).toBe(first);
          } else {
            // All time covers the first reward that is not in the future.
            const firstPast = Math.min(...rewards.map((r) => r.at));
            if (firstPast <= now) expect(first).toBeLessThanOrEqual(firstPast);
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);

  it('day buckets start at local midnight and hour buckets on the local hour, in every zone', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (timeZone, now) => {
          for (const bucket of bucketEarnings({ range: '30d', rewards: [], now, timeZone }).buckets) {
            const wall = wallTimeAt(bucket.start, timeZone);
            // Where a zone skips midnight itself, the day starts at the first instant after the jump.
            expect(wall.minuteOfDay < 120 && wallTimeAt(bucket.start - 1, timeZone).day !== wall.day).toBe(true);
          }
          for (const bucket of bucketEarnings({ range: '24h', rewards: [], now, timeZone }).buckets) {
            expect(wallTimeAt(bucket.start, timeZone).minute % 30).toBe(0);
            expect(wallTimeAt(bucket.start, timeZone).second).toBe(0);
          }
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);
});
