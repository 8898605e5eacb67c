/**
 * The weekly schedule as the editor shows it: 7 days of 48 half-hour cells.
 * The agent stores windows (days, start minute, end minute); these functions
 * turn windows into cells and cells back into the fewest windows, so painting
 * the grid and saving gives the agent exactly what was painted.
 */
import { type ScheduleWindow, WEEKDAYS, type Weekday } from '../../../agent/scheduler/policy.ts';

export const SLOT_MINUTES = 30;
export const SLOTS_PER_DAY = (24 * 60) / SLOT_MINUTES;
export const DAY_COUNT = WEEKDAYS.length;

/** grid[day][slot], day 0 = Monday, slot 0 = 00:00-00:30. */
export type WeekGrid = readonly (readonly boolean[])[];

export function emptyGrid(): boolean[][] {
  return Array.from({ length: DAY_COUNT }, () => Array<boolean>(SLOTS_PER_DAY).fill(false));
}

/** The minutes [from, to) of one day a window covers; a window past midnight continues on the next day. */
function windowSpans(window: ScheduleWindow): { day: number; from: number; to: number }[] {
  return window.days.flatMap((name) => {
    const day = WEEKDAYS.indexOf(name);
    if (window.endMinute > window.startMinute) return [{ day, from: window.startMinute, to: window.endMinute }];
    return [
      { day, from: window.startMinute, to: 24 * 60 },
      { day: (day + 1) % DAY_COUNT, from: 0, to: window.endMinute },
    ];
  });
}

export interface GridFromWindows {
  grid: boolean[][];
  /**
   * False when some window starts or ends off the half hour: its cells are
   * shown as covered wherever the window touches them, and saving the grid
   * would round it to whole cells.
   */
  isExact: boolean;
}

export function gridFromWindows(windows: readonly ScheduleWindow[]): GridFromWindows {
  const grid = emptyGrid();
  let isExact = true;
  for (const window of windows) {
    if (window.startMinute % SLOT_MINUTES !== 0 || window.endMinute % SLOT_MINUTES !== 0) isExact = false;
    for (const { day, from, to } of windowSpans(window)) {
      const row = grid[day];
      if (row === undefined) continue;
      for (let slot = Math.floor(from / SLOT_MINUTES); slot * SLOT_MINUTES < to; slot++) row[slot] = true;
    }
  }
  return { grid, isExact };
}

/** Each day's runs of painted cells become windows; runs with the same hours on several days share one window. */
export function windowsFromGrid(grid: WeekGrid): ScheduleWindow[] {
  const byHours = new Map<string, { days: Weekday[]; startMinute: number; endMinute: number }>();
  grid.forEach((row, day) => {
    let runStart: number | null = null;
    for (let slot = 0; slot <= SLOTS_PER_DAY; slot++) {
      const isOn = slot < SLOTS_PER_DAY && row[slot] === true;
      if (isOn && runStart === null) runStart = slot;
      if (!isOn && runStart !== null) {
        const startMinute = runStart * SLOT_MINUTES;
        const endMinute = slot * SLOT_MINUTES;
        const key = `${startMinute}-${endMinute}`;
        const weekday = WEEKDAYS[day];
        if (weekday === undefined) break;
        const existing = byHours.get(key);
        if (existing) existing.days.push(weekday);
        else byHours.set(key, { days: [weekday], startMinute, endMinute });
        runStart = null;
      }
    }
  });
  return [...byHours.values()].sort(
    (a, b) =>
      WEEKDAYS.indexOf(a.days[0] ?? 'mon') - WEEKDAYS.indexOf(b.days[0] ?? 'mon') || a.startMinute - b.startMinute,
  );
}

export function paintCell(grid: WeekGrid, day: number, slot: number, value: boolean): WeekGrid {
  if (grid[day]?.[slot] === undefined || grid[day][slot] === value) return grid;
  return grid.map((row, index) => (index === day ? row.map((cell, s) => (s === slot ? value : cell)) : row));
}

export function countPainted(grid: WeekGrid): number {
  return grid.reduce((sum, row) => sum + row.filter(Boolean).length, 0);
}

export interface GridCursor {
  day: number;
  slot: number;
}

/** Where a key moves the keyboard cursor: arrows by one cell, Home/End to the day's ends, PageUp/PageDown by 2 h. */
export function moveCursor(cursor: GridCursor, key: string): GridCursor | null {
  const clampDay = (day: number) => Math.min(DAY_COUNT - 1, Math.max(0, day));
  const clampSlot = (slot: number) => Math.min(SLOTS_PER_DAY - 1, Math.max(0, slot));
  switch (key) {
    case 'ArrowLeft':
      return { ...cursor, slot: clampSlot(cursor.slot - 1) };
    case 'ArrowRight':
      return { ...cursor, slot: clampSlot(cursor.slot + 1) };
    case 'ArrowUp':
      return { ...cursor, day: clampDay(cursor.day - 1) };
    case 'ArrowDown':
      return { ...cursor, day: clampDay(cursor.day + 1) };
    case 'Home':
      return { ...cursor, slot: 0 };
    case 'End':
      return { ...cursor, slot: SLOTS_PER_DAY - 1 };
    case 'PageUp':
      return { ...cursor, slot: clampSlot(cursor.slot - 4) };
    case 'PageDown':
      return { ...cursor, slot: clampSlot(cursor.slot + 4) };
    default:
      return null;
  }
}

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** "00:00" for slot 0, "23:30" for the last. */
export function slotStartLabel(slot: number): string {
  return clock(slot * SLOT_MINUTES);
}

/** "09:00 to 09:30", for a cell's accessible name. */
export function slotRangeLabel(slot: number): string {
  return `${clock(slot * SLOT_MINUTES)} to ${clock((slot + 1) * SLOT_MINUTES)}`;
}
