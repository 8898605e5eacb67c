/**
 * Local wall-clock time in an IANA time zone, computed with Intl alone (no
 * date library). The schedule, "until tomorrow" and every time shown in a
 * reason are wall-clock ideas, while the scheduler's clock is epoch
 * milliseconds; this file is the only place the two meet, so daylight-saving
 * jumps are handled once.
 *
 * A "wall ms" value is the wall clock written as if it were UTC (local
 * 2026-03-29 03:00 -> Date.UTC(2026, 2, 29, 3, 0)). Two wall ms values compare
 * like the clocks on the wall do, and `wallMs - epochMs` is the UTC offset.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;
export const WEEK_MS = 7 * DAY_MS;

export interface WallTime {
  year: number;
  /** 1 = January. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Monday ... 6 = Sunday, the order owners think of their week in. */
  weekdayIndex: number;
  /** Minutes since local midnight, 0..1439. */
  minuteOfDay: number;
  /** The wall clock as if it were UTC, to the millisecond. */
  wallMs: number;
}

// Creating a DateTimeFormat costs far more than using one; the agent asks
// several times a second, always in the same zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23, because some engines write midnight as "24" with hour12: false.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether Intl knows this zone name (an IANA name such as "Europe/Berlin", or "UTC"). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's canonical spelling ("europe/berlin" -> "Europe/Berlin"). */
export function canonicalTimeZone(timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
}

/** The time zone this computer is set to, or UTC where the host does not say. */
export function hostTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

export function wallTimeAt(epochMs: number, timeZone: string): WallTime {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of partsFormatter(timeZone).formatToParts(epochMs)) {
    const value = Number(part.value);
    if (part.type === 'year') year = value;
    else if (part.type === 'month') month = value;
    else if (part.type === 'day') day = value;
    else if (part.type === 'hour') hour = value;
    else if (part.type === 'minute') minute = value;
    else if (part.type === 'second') second = value;
  }
  // Intl drops milliseconds; every zone's offset is a whole number of seconds, so they carry over unchanged.
  const millisecond = epochMs - Math.floor(epochMs / 1000) * 1000;
  const midnightMs = Date.UTC(year, month - 1, day);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    weekdayIndex: (new Date(midnightMs).getUTCDay() + 6) % 7,
    minuteOfDay: hour * 60 + minute,
    wallMs: midnightMs + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond,
  };
}

/** Local time minus UTC at this instant, in ms (Berlin in summer: +7_200_000). */
export function utcOffsetAt(epochMs: number, timeZone: string): number {
  return wallTimeAt(epochMs, timeZone).wallMs - epochMs;
}

/**
 * The first instant in (from, to] whose UTC offset differs from `from`'s.
 * Binary search to the millisecond; the caller knows the offsets at the two
 * ends differ. It assumes one transition in between, which holds for the at
 * most eight days the scheduler ever looks ahead.
 */
function firstOffsetChange(from: number, to: number, timeZone: string): number {
  const offsetAtFrom = utcOffsetAt(from, timeZone);
  let before = from;
  let after = to;
  while (after - before > 1) {
    const middle = before + Math.floor((after - before) / 2);
    if (utcOffsetAt(middle, timeZone) === offsetAtFrom) before = middle;
    else after = middle;
  }
  return after;
}

/**
 * One step from `from` toward the wall-clock time `targetWallMs`: the instant
 * the wall clock reads the target if the offset stays as it is, or the first
 * offset change (a daylight-saving jump) before that, whichever comes first.
 * Between `from` and the returned instant the wall clock runs evenly, so
 * anything that depends on wall time alone cannot change in between.
 */
export function nextStepTowardWall(from: number, targetWallMs: number, timeZone: string): number {
  const offset = utcOffsetAt(from, timeZone);
  const reachedAt = targetWallMs - offset;
  if (reachedAt <= from) return from + 1;
  if (utcOffsetAt(reachedAt, timeZone) === offset) return reachedAt;
  return firstOffsetChange(from, reachedAt, timeZone);
}

// Each step either reaches the target or passes one offset change; no zone
// changes its offset this often within the scheduler's eight-day horizon.
const MAX_STEPS = 16;

/**
 * The first instant at or after `from` at which the wall clock reads
 * `targetWallMs` or later. Where a daylight-saving jump skips the target
 * (02:30 on a spring-forward night) that is the instant of the jump; where the
 * clock falls back, it is the first time the wall reads the target.
 */
export function instantWhenWallReaches(from: number, targetWallMs: number, timeZone: string): number {
  let instant = from;
  for (let step = 0; step < MAX_STEPS; step++) {
    if (wallTimeAt(instant, timeZone).wallMs >= targetWallMs) return instant;
    instant = nextStepTowardWall(instant, targetWallMs, timeZone);
  }
  return instant;
}

/** The next local midnight after `now`: the first instant of tomorrow's date in this zone. */
export function nextLocalMidnight(now: number, timeZone: string): number {
  const wall = wallTimeAt(now, timeZone);
  return instantWhenWallReaches(now, Date.UTC(wall.year, wall.month - 1, wall.day + 1), timeZone);
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * A time as a reason sentence names it, relative to today in the zone: "14:30",
 * "tomorrow 00:00", "Fri 22:00" within the week, "Thu 26 Nov 14:30" beyond.
 * 24-hour clock, because "until 7:00" must not be read as evening.
 */
export function formatClockTime(epochMs: number, timeZone: string, now: number): string {
  const target = wallTimeAt(epochMs, timeZone);
  const today = wallTimeAt(now, timeZone);
  const time = `${twoDigits(target.hour)}:${twoDigits(target.minute)}`;
  const daysAhead = Math.round(
    (Date.UTC(target.year, target.month - 1, target.day) - Date.UTC(today.year, today.month - 1, today.day)) / DAY_MS,
  );
  if (daysAhead === 0) return time;
  if (daysAhead === 1) return `tomorrow ${time}`;
  const weekday = WEEKDAY_NAMES[target.weekdayIndex] ?? '';
  if (daysAhead > 1 && daysAhead < 7) return `${weekday} ${time}`;
  return `${weekday} ${target.day} ${MONTH_NAMES[target.month - 1] ?? ''} ${time}`;
}
