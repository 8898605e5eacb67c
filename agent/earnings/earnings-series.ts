/**
 * What this computer earned over time, for the Earnings chart: the rewards of
 * verified jobs (a job's reward counts at the moment it was verified), summed
 * into buckets of the owner's local hours, days, weeks or months. Pure, with
 * the clock and the zone passed in; the agent's handler reads the rewards
 * from the ledger and calls it.
 *
 * - `24h`: the 24 local hours up to and including the current one.
 * - `7d`, `30d`: the 7 or 30 local days up to and including today.
 * - `all`: from the first verified reward on, in days (up to 60 of them),
 *   weeks (up to about two years) or months; at least the last 7 days, so a
 *   new earner's first day is not one lone bar. No rewards at all: no buckets.
 */
import { z } from 'zod';
import { nextLocalMidnight } from '../scheduler/wall-clock.ts';
import {
  nextLocalHour,
  nextLocalMonth,
  nextLocalWeek,
  startOfLocalDay,
  startOfLocalHour,
  startOfLocalMonth,
  startOfLocalWeek,
} from './local-calendar.ts';
import { TokenAmountSchema } from './token-amount-schema.ts';

export const EARNINGS_RANGES = ['24h', '7d', '30d', 'all'] as const;
export const EarningsRangeSchema = z.enum(EARNINGS_RANGES, { error: 'range must be one of 24h, 7d, 30d or all' });
export type EarningsRange = z.infer<typeof EarningsRangeSchema>;

export const EarningsBucketSizeSchema = z.enum(['hour', 'day', 'week', 'month']);
export type EarningsBucketSize = z.infer<typeof EarningsBucketSizeSchema>;

const epochMs = z.number().int().nonnegative();

export const EarningsBucketSchema = z.strictObject({
  start: epochMs,
  /** Exclusive; the next bucket's start. */
  end: epochMs,
  amount: TokenAmountSchema,
  /** Verified jobs whose reward is in this bucket. */
  jobs: z.number().int().nonnegative(),
});
export type EarningsBucket = z.infer<typeof EarningsBucketSchema>;

export const EarningsSeriesSchema = z.strictObject({
  range: EarningsRangeSchema,
  bucketSize: EarningsBucketSizeSchema,
  /** The zone the buckets follow (the scheduling policy's). */
  timeZone: z.string(),
  /** The moment the series was made; the last bucket contains it. */
  now: epochMs,
  /** Oldest first, each ending where the next starts; empty only for `all` before the first reward. */
  buckets: z.array(EarningsBucketSchema),
  total: TokenAmountSchema,
  jobs: z.number().int().nonnegative(),
});
export type EarningsSeries = z.infer<typeof EarningsSeriesSchema>;

/** One verified job's reward (token base units, decimal) and when the network verified it, as the ledger reads it. */
export interface VerifiedReward {
  at: number;
  reward: string;
}

const FIXED_RANGES = {
  '24h': { bucketSize: 'hour', count: 24 },
  '7d': { bucketSize: 'day', count: 7 },
  '30d': { bucketSize: 'day', count: 30 },
} as const satisfies Record<Exclude<EarningsRange, 'all'>, { bucketSize: EarningsBucketSize; count: number }>;

/** All time: days up to this many, then weeks up to the next limit, then months. */
export const ALL_TIME_MAX_DAYS = 60;
export const ALL_TIME_MAX_WEEKS = 104;
const ALL_TIME_MIN_DAYS = 7;

function startOfBucket(size: EarningsBucketSize, at: number, timeZone: string): number {
  switch (size) {
    case 'hour':
      return startOfLocalHour(at, timeZone);
    case 'day':
      return startOfLocalDay(at, timeZone);
    case 'week':
      return startOfLocalWeek(at, timeZone);
    case 'month':
      return startOfLocalMonth(at, timeZone);
  }
}

function nextBucket(size: EarningsBucketSize, start: number, timeZone: string): number {
  switch (size) {
    case 'hour':
      return nextLocalHour(start);
    case 'day':
      return nextLocalMidnight(start, timeZone);
    case 'week':
      return nextLocalWeek(start, timeZone);
    case 'month':
      return nextLocalMonth(start, timeZone);
  }
}

/** The bucket starts from the one containing `from` to the one containing `now`. */
function bucketStarts(size: EarningsBucketSize, from: number, now: number, timeZone: string): number[] {
  const starts: number[] = [];
  for (let start = startOfBucket(size, from, timeZone); start <= now; start = nextBucket(size, start, timeZone)) {
    starts.push(start);
  }
  return starts;
}

/** `count` buckets of `size` ending with the one containing `now`. */
function lastBuckets(size: EarningsBucketSize, count: number, now: number, timeZone: string): number[] {
  const starts = [startOfBucket(size, now, timeZone)];
  while (starts.length < count) starts.unshift(startOfBucket(size, (starts[0] ?? now) - 1, timeZone));
  return starts;
}

/** The earliest reward a range can show, so the ledger is asked for no more than that; null means all of them. */
export function earliestRewardShown(range: EarningsRange, now: number, timeZone: string): number | null {
  if (range === 'all') return null;
  const { bucketSize, count } = FIXED_RANGES[range];
  return lastBuckets(bucketSize, count, now, timeZone)[0] ?? null;
}

function allTimeBuckets(
  firstAt: number,
  now: number,
  timeZone: string,
): { size: EarningsBucketSize; starts: number[] } {
  const days = bucketStarts('day', Math.min(firstAt, now), now, timeZone);
  if (days.length <= ALL_TIME_MAX_DAYS) {
    return {
      size: 'day',
      starts: days.length >= ALL_TIME_MIN_DAYS ? days : lastBuckets('day', ALL_TIME_MIN_DAYS, now, timeZone),
    };
  }
  const weeks = bucketStarts('week', firstAt, now, timeZone);
  if (weeks.length <= ALL_TIME_MAX_WEEKS) return { size: 'week', starts: weeks };
  return { size: 'month', starts: bucketStarts('month', firstAt, now, timeZone) };
}

/** The index of the last start at or before `at`, or -1. */
function bucketIndex(starts: readonly number[], at: number): number {
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((starts[middle] ?? Number.POSITIVE_INFINITY) <= at) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

export function bucketEarnings(input: {
  range: EarningsRange;
  rewards: readonly VerifiedReward[];
  now: number;
  timeZone: string;
}): EarningsSeries {
  const { range, rewards, now, timeZone } = input;
  let size: EarningsBucketSize;
  let starts: number[];
  if (range === 'all') {
    const firstAt = rewards.reduce((first, reward) => Math.min(first, reward.at), Number.POSITIVE_INFINITY);
    if (firstAt === Number.POSITIVE_INFINITY) {
      return { range, bucketSize: 'day', timeZone, now, buckets: [], total: '0', jobs: 0 };
    }
    ({ size, starts } = allTimeBuckets(firstAt, now, timeZone));
  } else {
    size = FIXED_RANGES[range].bucketSize;
    starts = lastBuckets(size, FIXED_RANGES[range].count, now, timeZone);
  }
  const lastStart = starts.at(-1) ?? now;
  const ends = [...starts.slice(1), nextBucket(size, lastStart, timeZone)];
  const end = ends.at(-1) ?? now;
  const amounts = starts.map(() => 0n);
  const counts = starts.map(() => 0);
  let total = 0n;
  let jobs = 0;
  for (const reward of rewards) {
    if (reward.at >= end) continue;
    const index = bucketIndex(starts, reward.at);
    if (index < 0) continue;
    const amount = BigInt(reward.reward);
    amounts[index] = (amounts[index] ?? 0n) + amount;
    counts[index] = (counts[index] ?? 0) + 1;
    total += amount;
    jobs += 1;
  }
  return {
    range,
    bucketSize: size,
    timeZone,
    now,
    buckets: starts.map((start, index) => ({
      start,
      end: ends[index] ?? end,
      amount: String(amounts[index] ?? 0n),
      jobs: counts[index] ?? 0,
    })),
    total: String(total),
    jobs,
  };
}
