/**
 * What this computer was credited per local day, for "earned today" in the
 * tray and the dashboard. A job counts on the day the network verified it
 * (its last update), in the owner's time zone (the scheduler policy's), so
 * "today" starts at the owner's midnight, not UTC's.
 *
 * The agent sends the last EARNINGS_DAYS dates up to the day it computed them;
 * a reader picks its own today with its own clock (creditedOn/creditedToday),
 * so a view read after midnight says 0 for the new day until a job is credited
 * (every credit makes the agent send a new view).
 */
import { z } from 'zod';
import { wallTimeAt } from '../scheduler/wall-clock.ts';
import { bucketEarnings, earliestRewardShown, type VerifiedReward } from './earnings-series.ts';
import { TokenAmountSchema } from './token-amount-schema.ts';

/** Today and the six days before it: enough for "today" and "the last 7 days". */
export const EARNINGS_DAYS = 7;

export const EarningsDaySchema = z.object({
  /** The local date in `timeZone`, YYYY-MM-DD. */
  date: z.iso.date(),
  /** Verified rewards that day, token base units (decimal string). */
  credited: TokenAmountSchema,
  /** How many verified jobs that is. */
  jobs: z.number().int().nonnegative(),
});
export type EarningsDay = z.infer<typeof EarningsDaySchema>;

export const EarningsByDaySchema = z.object({
  /** The zone the dates are in (the scheduler policy's). */
  timeZone: z.string().min(1),
  /** The last EARNINGS_DAYS local dates up to `asOf`'s, oldest first, days without credit included. */
  days: z.array(EarningsDaySchema).max(EARNINGS_DAYS),
  /** When the agent computed this view. */
  asOf: z.number().int().nonnegative(),
});
export type EarningsByDay = z.infer<typeof EarningsByDaySchema>;

/** The local date of an instant in a zone, YYYY-MM-DD. */
export function localDate(epochMs: number, timeZone: string): string {
  const wall = wallTimeAt(epochMs, timeZone);
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).toISOString().slice(0, 10);
}

/** Credits at or after this instant may fall into the view (the start of the oldest local day it shows). */
export function earningsWindowStart(now: number, timeZone: string): number {
  return earliestRewardShown('7d', now, timeZone) ?? now;
}

/** The chart's 7-day series, each local day named by its date: one bucketing for the chart and the tray. */
export function earningsByDay(credits: readonly VerifiedReward[], now: number, timeZone: string): EarningsByDay {
  const series = bucketEarnings({ range: '7d', rewards: credits, now, timeZone });
  return {
    timeZone,
    days: series.buckets.map((bucket) => ({
      date: localDate(bucket.start, timeZone),
      credited: bucket.amount,
      jobs: bucket.jobs,
    })),
    asOf: now,
  };
}

/** What was credited on a local date (0 when the view does not cover it). */
export function creditedOn(view: EarningsByDay, date: string): bigint {
  const day = view.days.find((entry) => entry.date === date);
  return day === undefined ? 0n : BigInt(day.credited);
}

/** What was credited on the owner's today, by the reader's clock. */
export function creditedToday(view: EarningsByDay, now: number): bigint {
  return creditedOn(view, localDate(now, view.timeZone));
}
