import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScheduleWindowSchema } from '../../../agent/scheduler/policy.ts';
import {
  countPainted,
  DAY_COUNT,
  emptyGrid,
  gridFromWindows,
  moveCursor,
  paintCell,
  SLOTS_PER_DAY,
  slotRangeLabel,
  slotStartLabel,
  windowsFromGrid,
} from './week-grid.ts';

const gridArbitrary = fc.array(fc.array(fc.boolean(), { minLength: SLOTS_PER_DAY, maxLength: SLOTS_PER_DAY }), {
  minLength: DAY_COUNT,
  maxLength: DAY_COUNT,
});

describe('gridFromWindows', () => {
  it('paints a weekday evening window', () => {
    const { grid, isExact } = gridFromWindows([{ days: ['mon', 'wed'], startMinute: 18 * 60, endMinute: 22 * 60 }]);
    expect(isExact).toBe(true);
    expect(countPainted(grid)).toBe(16);
    expect(grid[0]?.[36]).toBe(true);
    expect(grid[0]?.[43]).toBe(true);
    expect(grid[0]?.[44]).toBe(false);
    expect(grid[1]?.[36]).toBe(false);
    expect(grid[2]?.[36]).toBe(true);
  });

  it('continues a window past midnight on the next day, Sunday into Monday', () => {
    const { grid } = gridFromWindows([{ days: ['sun'], startMinute: 22 * 60, endMinute: 7 * 60 }]);
    expect(grid[6]?.slice(44)).toEqual([true, true, true, true]);
    expect(grid[0]?.slice(0, 15)).toEqual(Array(14).fill(true).concat(false));
    expect(countPainted(grid)).toBe(4 + 14);
  });

  it('covers every cell a window touches when it is off the half hour, and says so', () => {
    const { grid, isExact } = gridFromWindows([{ days: ['tue'], startMinute: 9 * 60 + 10, endMinute: 9 * 60 + 40 }]);
    expect(isExact).toBe(false);
    expect(grid[1]?.slice(18, 20)).toEqual([true, true]);
    expect(countPainted(grid)).toBe(2);
  });

  it('paints a whole day for 0 to 1440', () => {
    expect(countPainted(gridFromWindows([{ days: ['sat'], startMinute: 0, endMinute: 1440 }]).grid)).toBe(48);
  });
});

describe('windowsFromGrid', () => {
  it('gives no windows for an empty grid', () => {
    expect(windowsFromGrid(emptyGrid())).toEqual([]);
  });

  it('shares one window between days with the same hours, in weekday order', () => {
    let grid = emptyGrid() as readonly (readonly boolean[])[];
    for (const day of [4, 0, 2]) for (let slot = 36; slot < 44; slot++) grid = paintCell(grid, day, slot, true);
    grid = paintCell(grid, 5, 0, true);
    expect(windowsFromGrid(grid)).toEqual([
      { days: ['mon', 'wed', 'fri'], startMinute: 1080, endMinute: 1320 },
      { days: ['sat'], startMinute: 0, endMinute: 30 },
    ]);
  });

  it('ends a run at the end of the day with 1440', () => {
    const grid = paintCell(emptyGrid(), 6, SLOTS_PER_DAY - 1, true);
    expect(windowsFromGrid(grid)).toEqual([{ days: ['sun'], startMinute: 1410, endMinute: 1440 }]);
  });

  it('round-trips any painting exactly, and every window it makes is one the agent accepts', () => {
    fc.assert(
      fc.property(gridArbitrary, (grid) => {
        const windows = windowsFromGrid(grid);
        for (const window of windows) expect(ScheduleWindowSchema.safeParse(window).success).toBe(true);
        const back = gridFromWindows(windows);
        expect(back.isExact).toBe(true);
        expect(back.grid).toEqual(grid);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the cells of half-hour windows unchanged through grid and back', () => {
    const window = fc
      .record({
        days: fc.uniqueArray(fc.constantFrom('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun' as const), {
          minLength: 1,
        }),
        startSlot: fc.integer({ min: 0, max: SLOTS_PER_DAY - 1 }),
        endSlot: fc.integer({ min: 0, max: SLOTS_PER_DAY }),
      })
      .filter(({ startSlot, endSlot }) => startSlot !== endSlot)
      .map(({ days, startSlot, endSlot }) => ({ days, startMinute: startSlot * 30, endMinute: endSlot * 30 }));
    fc.assert(
      fc.property(fc.array(window, { maxLength: 6 }), (windows) => {
        const { grid } = gridFromWindows(windows);
        expect(gridFromWindows(windowsFromGrid(grid)).grid).toEqual(grid);
      }),
      { numRuns: 200 },
    );
  });
});

describe('paintCell', () => {
  it('returns a new grid with one cell changed, and the same grid when nothing changes', () => {
    const grid = emptyGrid();
    const painted = paintCell(grid, 3, 10, true);
    expect(painted).not.toBe(grid);
    expect(countPainted(painted)).toBe(1);
    expect(grid[3]?.[10]).toBe(false);
    expect(paintCell(painted, 3, 10, true)).toBe(painted);
    expect(paintCell(painted, 9, 0, true)).toBe(painted);
    expect(paintCell(painted, 0, 99, true)).toBe(painted);
  });
});

describe('moveCursor', () => {
  it.each([
    ['ArrowRight', { day: 2, slot: 11 }],
    ['ArrowLeft', { day: 2, slot: 9 }],
    ['ArrowUp', { day: 1, slot: 10 }],
    ['ArrowDown', { day: 3, slot: 10 }],
    ['Home', { day: 2, slot: 0 }],
    ['End', { day: 2, slot: 47 }],
    ['PageUp', { day: 2, slot: 6 }],
    ['PageDown', { day: 2, slot: 14 }],
  ])('%s moves to %o', (key, expected) => {
    expect(moveCursor({ day: 2, slot: 10 }, key)).toEqual(expected);
  });

  it('stops at the edges and ignores other keys', () => {
    expect(moveCursor({ day: 0, slot: 0 }, 'ArrowUp')).toEqual({ day: 0, slot: 0 });
    expect(moveCursor({ day: 0, slot: 0 }, 'ArrowLeft')).toEqual({ day: 0, slot: 0 });
    expect(moveCursor({ day: 6, slot: 47 }, 'ArrowDown')).toEqual({ day: 6, slot: 47 });
    expect(moveCursor({ day: 6, slot: 47 }, 'PageDown')).toEqual({ day: 6, slot: 47 });
    expect(moveCursor({ day: 1, slot: 1 }, 'a')).toBeNull();
  });
});

describe('slot labels', () => {
  it('names cells by their half hour', () => {
    expect(slotStartLabel(0)).toBe('00:00');
    expect(slotStartLabel(19)).toBe('09:30');
    expect(slotRangeLabel(47)).toBe('23:30 to 24:00');
  });
});
