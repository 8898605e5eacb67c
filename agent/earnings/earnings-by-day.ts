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
import { DAY_MS, wallTimeAt } from '../scheduler/wall-clock.ts';

/** Today and the six days before it: enough for "today" and "the last 7 days". */
export const EARNINGS_DAYS = 7;

const baseUnits = z.string().regex(/^\d+$/, 'must be a whole number of token base units');

export const EarningsDaySchema = z.object({
  /** The local date in `timeZone`, YYYY-MM-DD. */
  date: z.iso.date(),
  /** Verified rewards that day, token base units (decimal string). */
  credited: baseUnits,
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

/** One verified job's reward and when it was credited. */
export interface Credit {
  at: number;
  /** Token base units, decimal. */
  reward: string;
}

/** The local date of an instant in a zone, YYYY-MM-DD. */
export function localDate(epochMs: number, timeZone: string): string {
  const wall = wallTimeAt(epochMs, timeZone);
  return isoDate(Date.UTC(wall.year, wall.month - 1, wall.day));
}

function isoDate(utcMidnightMs: number): string {
  return new Date(utcMidnightMs).toISOString().slice(0, 10);
}

/**
 * Credits at or after this instant may fall into the view: a day more than the
 * window, so no zone's offset or daylight-saving day can make the query miss one.
 */
export function earningsWindowStart(now: number, days: number = EARNINGS_DAYS): number {
  return now - (days + 1) * DAY_MS;
}

export function earningsByDay(
  credits: Iterable<Credit>,
  now: number,
  timeZone: string,
  days: number = EARNINGS_DAYS,
): EarningsByDay {
  const today = wallTimeAt(now, timeZone);
  const dates: string[] = [];
  for (let back = days - 1; back >= 0; back--) {
    dates.push(isoDate(Date.UTC(today.year, today.month - 1, today.day - back)));
  }
  const totals = new Map(dates.map((date) => [date, { credited: 0n, jobs: 0 }]));
  for (const credit of credits) {
    const total = totals.get(localDate(credit.at, timeZone));
    if (total === undefined) continue; // Before the window, or on a later date than now's (a clock that stepped back).
    total.credited += BigInt(credit.reward);
    total.jobs += 1;
  }
  return {
    timeZone,
    days: dates.map((date) => {
      const total = totals.get(date) ?? { credited: 0n, jobs: 0 };
      return { date, credited: total.credited.toString(), jobs: total.jobs };
    }),
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
