/**
 * Hours, days, weeks and months in the owner's time zone as epoch ranges, for
 * the earnings chart: built on wall-clock.ts, so a day with a daylight-saving
 * jump is 23 or 25 hours long, and an hour starts when the wall clock's hour
 * does (also in zones half an hour off UTC).
 */
import { instantWhenWallReaches, nextLocalMidnight, wallTimeAt } from '../scheduler/wall-clock.ts';

const HOUR_MS = 3_600_000;

/** The first instant of the local hour containing `at`. */
export function startOfLocalHour(at: number, timeZone: string): number {
  const wall = wallTimeAt(at, timeZone);
  return at - (wall.minute * 60 + wall.second) * 1000 - (((at % 1000) + 1000) % 1000);
}

/** The local hour after the one starting at `hourStart`. */
export function nextLocalHour(hourStart: number): number {
  return hourStart + HOUR_MS;
}

/** The first instant of the local day containing `at`. */
export function startOfLocalDay(at: number, timeZone: string): number {
  const wall = wallTimeAt(at, timeZone);
  const sinceWallMidnight = ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1000 + (((at % 1000) + 1000) % 1000);
  // Three hours before the naive midnight is surely the day before, whatever offset change happened today.
  return nextLocalMidnight(at - sinceWallMidnight - 3 * HOUR_MS, timeZone);
}

/** The first instant of the local week (Monday) containing `at`. */
export function startOfLocalWeek(at: number, timeZone: string): number {
  let day = startOfLocalDay(at, timeZone);
  for (let back = wallTimeAt(day, timeZone).weekdayIndex; back > 0; back -= 1) {
    day = startOfLocalDay(day - 1, timeZone);
  }
  return day;
}

/** The week after the one starting at `weekStart`. */
export function nextLocalWeek(weekStart: number, timeZone: string): number {
  let day = weekStart;
  for (let step = 0; step < 7; step += 1) day = nextLocalMidnight(day, timeZone);
  return day;
}

/** The first instant of the local month containing `at`. */
export function startOfLocalMonth(at: number, timeZone: string): number {
  let day = startOfLocalDay(at, timeZone);
  for (let back = wallTimeAt(day, timeZone).day; back > 1; back -= 1) day = startOfLocalDay(day - 1, timeZone);
  return day;
}

/** The month after the one starting at `monthStart`. */
export function nextLocalMonth(monthStart: number, timeZone: string): number {
  const wall = wallTimeAt(monthStart, timeZone);
  return instantWhenWallReaches(monthStart, Date.UTC(wall.year, wall.month, 1), timeZone);
}
