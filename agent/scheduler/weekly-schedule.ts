/**
 * The weekly schedule in the owner's wall-clock time. Whether a moment is
 * inside depends only on the local weekday and minute, so a window means what
 * the owner sees on their clock: across midnight, and on daylight-saving days
 * (a window inside the skipped spring hour does not happen that night; one
 * inside the repeated autumn hour happens twice).
 */
import { WEEKDAYS, type WeeklySchedule } from './policy.ts';
import { MINUTE_MS, nextStepTowardWall, type WallTime, WEEK_MS, wallTimeAt } from './wall-clock.ts';

const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
/** Far enough to see a weekly window come round again; a schedule that never changes within it never will. */
export const SCHEDULE_HORIZON_MS = 8 * 24 * 3600 * 1000;

function dayIndex(day: (typeof WEEKDAYS)[number]): number {
  return WEEKDAYS.indexOf(day);
}

export function isWithinSchedule(schedule: WeeklySchedule, wall: WallTime): boolean {
  const today = wall.weekdayIndex;
  const minute = wall.minuteOfDay;
  return schedule.windows.some((window) =>
    window.days.some((day) => {
      const start = dayIndex(day);
      if (window.startMinute < window.endMinute) {
        return start === today && minute >= window.startMinute && minute < window.endMinute;
      }
      // Crosses midnight: the evening part on its own day, the morning part on the next.
      return (
        (start === today && minute >= window.startMinute) || ((start + 1) % 7 === today && minute < window.endMinute)
      );
    }),
  );
}

/** Minutes of the week (0 = Monday 00:00) where some window starts or ends. */
function windowEdges(schedule: WeeklySchedule): number[] {
  const edges = new Set<number>();
  for (const window of schedule.windows) {
    for (const day of window.days) {
      const dayStart = dayIndex(day) * MINUTES_PER_DAY;
      const end = window.startMinute < window.endMinute ? window.endMinute : window.endMinute + MINUTES_PER_DAY;
      edges.add((dayStart + window.startMinute) % MINUTES_PER_WEEK);
      edges.add((dayStart + end) % MINUTES_PER_WEEK);
    }
  }
  return [...edges];
}

/** Wall-clock ms from `wall` to the next window edge strictly after it. */
function wallMsToNextEdge(edges: readonly number[], wall: WallTime): number {
  const weekPositionMs =
    wall.weekdayIndex * MINUTES_PER_DAY * MINUTE_MS + (wall.wallMs % (MINUTES_PER_DAY * MINUTE_MS));
  let nearest = WEEK_MS;
  for (const edge of edges) {
    const ahead = (((edge * MINUTE_MS - weekPositionMs) % WEEK_MS) + WEEK_MS) % WEEK_MS;
    if (ahead > 0 && ahead < nearest) nearest = ahead;
  }
  return nearest;
}

/**
 * The first instant after `now` at which being inside the schedule changes,
 * or null when it does not change within eight days (windows that cover the
 * whole week). Steps edge by edge and across daylight-saving jumps, checking
 * the schedule at each step, so a jump into or out of a window counts too.
 */
export function nextScheduleChange(schedule: WeeklySchedule, timeZone: string, now: number): number | null {
  const edges = windowEdges(schedule);
  if (edges.length === 0) return null;
  const isInsideNow = isWithinSchedule(schedule, wallTimeAt(now, timeZone));
  let instant = now;
  while (instant - now <= SCHEDULE_HORIZON_MS) {
    const wall = wallTimeAt(instant, timeZone);
    instant = nextStepTowardWall(instant, wall.wallMs + wallMsToNextEdge(edges, wall), timeZone);
    if (isWithinSchedule(schedule, wallTimeAt(instant, timeZone)) !== isInsideNow) {
      return instant - now <= SCHEDULE_HORIZON_MS ? instant : null;
    }
  }
  return null;
}
