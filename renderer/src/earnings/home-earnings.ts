/**
 * The Home screen's earnings at a glance: credited today and over the last 7
 * days (the agent's `earnings` view, in the schedule's zone), and the rate
 * while earning today: today's credits over the time spent earning since the
 * owner's midnight. The rate is null until there was a minute of earning and a
 * credit to divide, so a new day never shows a made-up figure.
 */
import type { EarningsByDay } from '../../../agent/earnings/earnings-by-day.ts';
import { creditedToday } from '../../../agent/earnings/earnings-by-day.ts';
import { type TodayTimeline, todayPeriods } from '../timeline/today.ts';

const HOUR_MS = 3_600_000;
/** Less earning time than this gives a rate driven by one job's timing, not by the machine. */
export const MIN_EARNING_MS_FOR_RATE = 60_000;

export interface HomeEarnings {
  /** Token base units. */
  today: bigint;
  lastSevenDays: bigint;
  earningMsToday: number;
  /** Token base units per hour of earning today; null when there is not enough to say. */
  perEarningHour: bigint | null;
}

export function homeEarnings(view: EarningsByDay, timeline: TodayTimeline | null, now: number): HomeEarnings {
  const today = creditedToday(view, now);
  const lastSevenDays = view.days.reduce((sum, day) => sum + BigInt(day.credited), 0n);
  const earningMsToday =
    timeline === null
      ? 0
      : todayPeriods(timeline, now)
          .filter((period) => period.state === 'earning')
          .reduce((sum, period) => sum + (period.endMs - period.startMs), 0);
  const perEarningHour =
    earningMsToday >= MIN_EARNING_MS_FOR_RATE && today > 0n
      ? (today * BigInt(HOUR_MS)) / BigInt(Math.round(earningMsToday))
      : null;
  return { today, lastSevenDays, earningMsToday, perEarningHour };
}
