/**
 * The words the CLI accepts for schedule windows: day ranges such as
 * `mon-fri` or `sat,sun`, and clock times such as `22:00`. Parsed here, then
 * validated again by the policy schema on the agent's side.
 */
import { IdlehiveError } from '../errors.ts';
import { type ScheduleWindow, WEEKDAYS, type Weekday } from '../scheduler/policy.ts';

function weekday(word: string): Weekday {
  const day = word.trim().toLowerCase().slice(0, 3);
  const index = WEEKDAYS.indexOf(day as Weekday);
  if (index < 0) {
    throw new IdlehiveError('invalid_days', `"${word}" is not a weekday; use mon, tue, wed, thu, fri, sat or sun.`);
  }
  return WEEKDAYS[index] as Weekday;
}

/** `mon-fri`, `sat,sun`, `fri-mon` (wraps past Sunday), `all`. */
export function parseDays(text: string): Weekday[] {
  if (text.trim().toLowerCase() === 'all') return [...WEEKDAYS];
  const days: Weekday[] = [];
  for (const part of text.split(',')) {
    const [from, to, extra] = part.split('-');
    if (from === undefined || from.trim() === '' || extra !== undefined) {
      throw new IdlehiveError('invalid_days', `"${part}" is not a day or a range such as mon-fri.`);
    }
    if (to === undefined) {
      days.push(weekday(from));
      continue;
    }
    const start = WEEKDAYS.indexOf(weekday(from));
    const end = WEEKDAYS.indexOf(weekday(to));
    for (let i = start; ; i = (i + 1) % 7) {
      days.push(WEEKDAYS[i] as Weekday);
      if (i === end) break;
    }
  }
  const unique = [...new Set(days)];
  return WEEKDAYS.filter((day) => unique.includes(day));
}

/** `22:00` → 1320; `24:00` is the end of the day (1440). */
export function parseClockMinute(text: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw new IdlehiveError('invalid_time', `"${text}" is not a time of day; use 24-hour HH:MM such as 22:00.`);
  }
  return hours * 60 + minutes;
}

export function formatClockMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

export function parseScheduleWindow(days: string, from: string, to: string): ScheduleWindow {
  const startMinute = parseClockMinute(from);
  if (startMinute === 1440) throw new IdlehiveError('invalid_time', 'A window cannot start at 24:00; use 00:00.');
  return { days: parseDays(days), startMinute, endMinute: parseClockMinute(to) };
}

export function describeScheduleWindow(window: ScheduleWindow): string {
  const crossesMidnight = window.endMinute <= window.startMinute;
  return `${window.days.join(',')} ${formatClockMinute(window.startMinute)}-${formatClockMinute(window.endMinute)}${crossesMidnight ? ' (ends the next day)' : ''}`;
}
