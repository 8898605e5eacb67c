import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScheduleWindow, WeeklySchedule } from './policy.ts';
import { WEEKDAYS } from './policy.ts';
import { arbInstant, arbSchedule, arbTimeZone, DAY, HOUR, MINUTE } from './test-fixtures.ts';
import { wallTimeAt } from './wall-clock.ts';
import { isWithinSchedule, nextScheduleChange } from './weekly-schedule.ts';

function schedule(...windows: ScheduleWindow[]): WeeklySchedule {
  return { enabled: true, windows };
}

const at = (hh: number, mm = 0) => hh * 60 + mm;
const WEEKDAYS_ONLY: ScheduleWindow['days'] = ['mon', 'tue', 'wed', 'thu', 'fri'];
/** Mon-Fri 22:00-07:00 and all day on weekends: the example. */
const NIGHTS_AND_WEEKENDS = schedule(
  { days: WEEKDAYS_ONLY, startMinute: at(22), endMinute: at(7) },
  { days: ['sat', 'sun'], startMinute: 0, endMinute: 1440 },
);

/**
 * An independent oracle: expand each window into the (weekday, minute) cells
 * it covers, and read the wall clock through a different Intl call.
 */
function coveredCells(windows: readonly ScheduleWindow[]): Set<number> {
  const cells = new Set<number>();
  for (const window of windows) {
    for (const day of window.days) {
      const base = WEEKDAYS.indexOf(day) * 1440;
      const length = (window.endMinute - window.startMinute + 1440) % 1440 || 1440;
      for (let offset = 0; offset < length; offset++) cells.add((base + window.startMinute + offset) % (7 * 1440));
    }
  }
  return cells;
}

const WEEKDAY_BY_SHORT_NAME: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

function oracleCell(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  return (WEEKDAY_BY_SHORT_NAME[part('weekday')] ?? -1) * 1440 + Number(part('hour')) * 60 + Number(part('minute'));
}

function inside(windows: WeeklySchedule, instant: number, zone: string): boolean {
  return isWithinSchedule(windows, wallTimeAt(instant, zone));
}

describe('isWithinSchedule', () => {
  // Wednesday 25 November 2026 and the days around it, in UTC.
  const wed = (hh: number, mm = 0) => Date.UTC(2026, 10, 25, hh, mm);
  it.each([
    ['Wed 21:59', wed(21, 59), false],
    ['Wed 22:00', wed(22), true],
    ['Wed 23:59', wed(23, 59), true],
    ['Thu 00:00 (the window crossed midnight)', wed(24), true],
    ['Thu 06:59', wed(24 + 6, 59), true],
    ['Thu 07:00 (end is exclusive)', wed(24 + 7), false],
    ['Wed 12:00', wed(12), false],
    ['Sat 07:00 (Fri night runs into Saturday, then all day)', wed(3 * 24 + 7), true],
    ['Sun 23:59', wed(4 * 24 + 23, 59), true],
    // Sunday is not in the weeknight window, so Monday morning is not covered by it.
    ['Mon 03:00', wed(5 * 24 + 3), false],
    ['Mon 22:30', wed(5 * 24 + 22, 30), true],
  ])('nights and weekends: %s is %s', (_label, instant, expected) => {
    expect(inside(NIGHTS_AND_WEEKENDS, instant, 'UTC')).toBe(expected);
  });

  it('wraps a Sunday-night window into Monday morning', () => {
    const sundayNight = schedule({ days: ['sun'], startMinute: at(23), endMinute: at(2) });
    expect(inside(sundayNight, Date.UTC(2026, 10, 29, 23, 30), 'UTC')).toBe(true);
    expect(inside(sundayNight, Date.UTC(2026, 10, 30, 1, 59), 'UTC')).toBe(true);
    expect(inside(sundayNight, Date.UTC(2026, 10, 30, 2, 0), 'UTC')).toBe(false);
    expect(inside(sundayNight, Date.UTC(2026, 10, 23, 1, 0), 'UTC')).toBe(true);
  });

  it('takes end 0 after a later start as "until midnight"', () => {
    const evening = schedule({ days: ['wed'], startMinute: at(18), endMinute: 0 });
    expect(inside(evening, Date.UTC(2026, 10, 25, 23, 59), 'UTC')).toBe(true);
    expect(inside(evening, Date.UTC(2026, 10, 26, 0, 0), 'UTC')).toBe(false);
  });

  it('reads the owner wall clock, not UTC', () => {
    const morning = schedule({ days: ['wed'], startMinute: at(9), endMinute: at(10) });
    // 09:30 in Tokyo is 00:30 UTC.
    expect(inside(morning, Date.UTC(2026, 10, 25, 0, 30), 'Asia/Tokyo')).toBe(true);
    expect(inside(morning, Date.UTC(2026, 10, 25, 9, 30), 'Asia/Tokyo')).toBe(false);
  });

  it('matches the cell oracle for any windows, instant and zone (windows crossing midnight included)', () => {
    fc.assert(
      fc.property(arbSchedule, arbInstant, arbTimeZone, (windows, instant, zone) => {
        const cells = coveredCells(windows.windows);
        expect(inside(windows, instant, zone)).toBe(cells.has(oracleCell(instant, zone)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('schedule on daylight-saving days', () => {
  describe('Europe/Berlin, spring forward on Sunday 29 March 2026 (02:00 CET -> 03:00 CEST at 01:00 UTC)', () => {
    const zone = 'Europe/Berlin';
    it('a Saturday 22:00-07:00 window lasts 8 hours that night', () => {
      const night = schedule({ days: ['sat'], startMinute: at(22), endMinute: at(7) });
      const start = Date.UTC(2026, 2, 28, 21, 0); // Sat 22:00 CET
      const end = Date.UTC(2026, 2, 29, 5, 0); // Sun 07:00 CEST
      expect(nextScheduleChange(night, zone, start - HOUR)).toBe(start);
      expect(nextScheduleChange(night, zone, start)).toBe(end);
      expect(end - start).toBe(8 * HOUR);
      expect(inside(night, end - 1, zone)).toBe(true);
      expect(inside(night, end, zone)).toBe(false);
    });

    it('a window inside the skipped hour does not happen that night', () => {
      const skipped = schedule({ days: ['sun'], startMinute: at(2), endMinute: at(2, 30) });
      const from = Date.UTC(2026, 2, 28, 12);
      expect(inside(skipped, Date.UTC(2026, 2, 29, 0, 59, 59), zone)).toBe(false);
      expect(inside(skipped, Date.UTC(2026, 2, 29, 1, 0), zone)).toBe(false);
      // Next Sunday 02:00 CEST instead.
      expect(nextScheduleChange(skipped, zone, from)).toBe(Date.UTC(2026, 3, 5, 0, 0));
    });

    it('a window starting inside the skipped hour starts at the jump', () => {
      const early = schedule({ days: ['sun'], startMinute: at(2, 30), endMinute: at(4) });
      expect(nextScheduleChange(early, zone, Date.UTC(2026, 2, 29, 0, 30))).toBe(Date.UTC(2026, 2, 29, 1, 0));
      expect(nextScheduleChange(early, zone, Date.UTC(2026, 2, 29, 1, 0))).toBe(Date.UTC(2026, 2, 29, 2, 0));
    });
  });

  describe('Europe/Berlin, fall back on Sunday 25 October 2026 (03:00 CEST -> 02:00 CET at 01:00 UTC)', () => {
    const zone = 'Europe/Berlin';
    const repeated = schedule({ days: ['sun'], startMinute: at(2, 30), endMinute: at(4) });
    it('a window inside the repeated hour happens twice, with the gap in between', () => {
      expect(nextScheduleChange(repeated, zone, Date.UTC(2026, 9, 24, 12))).toBe(Date.UTC(2026, 9, 25, 0, 30));
      expect(nextScheduleChange(repeated, zone, Date.UTC(2026, 9, 25, 0, 30))).toBe(Date.UTC(2026, 9, 25, 1, 0));
      expect(nextScheduleChange(repeated, zone, Date.UTC(2026, 9, 25, 1, 0))).toBe(Date.UTC(2026, 9, 25, 1, 30));
      expect(nextScheduleChange(repeated, zone, Date.UTC(2026, 9, 25, 1, 30))).toBe(Date.UTC(2026, 9, 25, 3, 0));
    });

    it('a Saturday 22:00-07:00 window lasts 10 hours that night', () => {
      const night = schedule({ days: ['sat'], startMinute: at(22), endMinute: at(7) });
      const start = Date.UTC(2026, 9, 24, 20, 0); // Sat 22:00 CEST
      expect(nextScheduleChange(night, zone, start)).toBe(start + 10 * HOUR);
    });
  });

  describe('America/New_York', () => {
    const zone = 'America/New_York';
    it('spring forward on 8 March 2026: 01:00-05:00 lasts 3 hours', () => {
      const early = schedule({ days: ['sun'], startMinute: at(1), endMinute: at(5) });
      const start = Date.UTC(2026, 2, 8, 6, 0); // 01:00 EST
      expect(nextScheduleChange(early, zone, start - MINUTE)).toBe(start);
      expect(nextScheduleChange(early, zone, start)).toBe(Date.UTC(2026, 2, 8, 9, 0)); // 05:00 EDT
    });

    it('fall back on 1 November 2026: 01:00-05:00 lasts 5 hours, through the repeated 01:00 hour', () => {
      const early = schedule({ days: ['sun'], startMinute: at(1), endMinute: at(5) });
      const start = Date.UTC(2026, 10, 1, 5, 0); // 01:00 EDT
      expect(nextScheduleChange(early, zone, start)).toBe(Date.UTC(2026, 10, 1, 10, 0)); // 05:00 EST
      expect(inside(early, Date.UTC(2026, 10, 1, 6, 30), zone)).toBe(true); // the second 01:30
    });

    it('a window that ends inside the repeated hour ends at its first passing, then comes back', () => {
      const short = schedule({ days: ['sun'], startMinute: at(0, 30), endMinute: at(1, 30) });
      expect(nextScheduleChange(short, zone, Date.UTC(2026, 10, 1, 4, 30))).toBe(Date.UTC(2026, 10, 1, 5, 30));
      // At the fall back (06:00 UTC) the clock reads 01:00 again: inside until 01:30 EST.
      expect(nextScheduleChange(short, zone, Date.UTC(2026, 10, 1, 5, 30))).toBe(Date.UTC(2026, 10, 1, 6, 0));
      expect(nextScheduleChange(short, zone, Date.UTC(2026, 10, 1, 6, 0))).toBe(Date.UTC(2026, 10, 1, 6, 30));
    });
  });

  it.each([
    ['Europe/Berlin spring', 'Europe/Berlin', Date.UTC(2026, 2, 27)],
    ['Europe/Berlin autumn', 'Europe/Berlin', Date.UTC(2026, 9, 23)],
    ['America/New_York spring', 'America/New_York', Date.UTC(2026, 2, 6)],
    ['America/New_York autumn', 'America/New_York', Date.UTC(2026, 9, 30)],
    ['Australia/Lord_Howe (30 min shift)', 'Australia/Lord_Howe', Date.UTC(2026, 3, 3)],
    ['America/Santiago (jump at midnight)', 'America/Santiago', Date.UTC(2026, 8, 4)],
  ])('finds exactly the changes a minute-by-minute scan finds across the DST weekend: %s', (_label, zone, from) => {
    fc.assert(
      fc.property(arbSchedule, (windows) => {
        const until = from + 4 * DAY;
        const scanned: number[] = [];
        let previous = inside(windows, from, zone);
        for (let instant = from + MINUTE; instant <= until; instant += MINUTE) {
          const current = inside(windows, instant, zone);
          if (current !== previous) scanned.push(instant);
          previous = current;
        }
        const stepped: number[] = [];
        let cursor = from;
        for (;;) {
          const change = nextScheduleChange(windows, zone, cursor);
          if (change === null || change > until) break;
          stepped.push(change);
          cursor = change;
        }
        expect(stepped).toEqual(scanned);
      }),
      { numRuns: 12 },
    );
  });
});

describe('nextScheduleChange', () => {
  it('is the start of the next window when outside, and its end when inside', () => {
    const wed = Date.UTC(2026, 10, 25, 12, 0);
    expect(nextScheduleChange(NIGHTS_AND_WEEKENDS, 'UTC', wed)).toBe(Date.UTC(2026, 10, 25, 22, 0));
    expect(nextScheduleChange(NIGHTS_AND_WEEKENDS, 'UTC', Date.UTC(2026, 10, 25, 22, 0))).toBe(
      Date.UTC(2026, 10, 26, 7, 0),
    );
    // Friday night runs into the weekend: one stretch until Sunday ends (no Sunday-night window).
    expect(nextScheduleChange(NIGHTS_AND_WEEKENDS, 'UTC', Date.UTC(2026, 10, 27, 23, 0))).toBe(
      Date.UTC(2026, 10, 30, 0, 0),
    );
  });

  it('is null when the windows cover the whole week', () => {
    const always = schedule({ days: [...WEEKDAYS], startMinute: 0, endMinute: 1440 });
    expect(nextScheduleChange(always, 'Europe/Berlin', Date.UTC(2026, 2, 28))).toBeNull();
  });

  it('is after now; just before it nothing has changed, at it the schedule has', () => {
    fc.assert(
      fc.property(arbSchedule, arbInstant, arbTimeZone, (windows, now, zone) => {
        const change = nextScheduleChange(windows, zone, now);
        const before = inside(windows, now, zone);
        if (change === null) {
          for (let probe = now; probe < now + 8 * DAY; probe += 7 * MINUTE + 13) {
            expect(inside(windows, probe, zone)).toBe(before);
          }
          return;
        }
        expect(change).toBeGreaterThan(now);
        expect(inside(windows, change - 1, zone)).toBe(before);
        expect(inside(windows, change, zone)).toBe(!before);
        for (let fraction = 0.125; fraction < 1; fraction += 0.125) {
          expect(inside(windows, Math.floor(now + (change - now) * fraction), zone)).toBe(before);
        }
      }),
      { numRuns: 300 },
    );
  });
});
