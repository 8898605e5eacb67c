import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbInstant, arbTimeZone, DAY, HOUR, MINUTE } from './test-fixtures.ts';
import {
  canonicalTimeZone,
  formatClockTime,
  instantWhenWallReaches,
  isKnownTimeZone,
  nextLocalMidnight,
  utcOffsetAt,
  wallTimeAt,
} from './wall-clock.ts';

/** The calendar date at this instant in the zone, as "YYYY-MM-DD", from a second Intl path. */
function localDate(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    epochMs,
  );
}

describe('wallTimeAt', () => {
  it('reads the wall clock in the zone, weekday Monday-first', () => {
    // Wednesday 25 November 2026, 12:34:56.789 UTC is 13:34:56.789 in Berlin.
    const wall = wallTimeAt(Date.UTC(2026, 10, 25, 12, 34, 56, 789), 'Europe/Berlin');
    expect(wall).toEqual({
      year: 2026,
      month: 11,
      day: 25,
      hour: 13,
      minute: 34,
      second: 56,
      weekdayIndex: 2,
      minuteOfDay: 13 * 60 + 34,
      wallMs: Date.UTC(2026, 10, 25, 13, 34, 56, 789),
    });
  });

  it('writes midnight as hour 0, not 24', () => {
    expect(wallTimeAt(Date.UTC(2026, 10, 29, 23, 0), 'Europe/Berlin')).toMatchObject({
      day: 30,
      hour: 0,
      weekdayIndex: 0,
    });
  });

  it('knows Sunday is the last day of the week', () => {
    expect(wallTimeAt(Date.UTC(2026, 10, 29, 12), 'UTC').weekdayIndex).toBe(6);
  });

  it('agrees with a second Intl path on the date, in every zone', () => {
    fc.assert(
      fc.property(arbInstant, arbTimeZone, (instant, zone) => {
        const wall = wallTimeAt(instant, zone);
        const text = `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
        expect(text).toBe(localDate(instant, zone));
      }),
    );
  });
});

describe('utcOffsetAt', () => {
  it.each([
    ['Europe/Berlin', Date.UTC(2026, 0, 15), HOUR],
    ['Europe/Berlin', Date.UTC(2026, 6, 15), 2 * HOUR],
    ['America/New_York', Date.UTC(2026, 0, 15), -5 * HOUR],
    ['America/New_York', Date.UTC(2026, 6, 15), -4 * HOUR],
    ['Asia/Kathmandu', Date.UTC(2026, 6, 15), 5 * HOUR + 45 * MINUTE],
    ['Australia/Lord_Howe', Date.UTC(2026, 0, 15), 11 * HOUR],
    ['Australia/Lord_Howe', Date.UTC(2026, 6, 15), 10 * HOUR + 30 * MINUTE],
  ])('%s at %i is %i ms', (zone, instant, offset) => {
    expect(utcOffsetAt(instant, zone)).toBe(offset);
  });

  it('changes at the exact millisecond of the Berlin spring jump (01:00 UTC)', () => {
    const jump = Date.UTC(2026, 2, 29, 1, 0);
    expect(utcOffsetAt(jump - 1, 'Europe/Berlin')).toBe(HOUR);
    expect(utcOffsetAt(jump, 'Europe/Berlin')).toBe(2 * HOUR);
  });
});

describe('time zone names', () => {
  it('knows IANA names and UTC, and not made-up ones', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });

  it('canonicalises the spelling', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
  });
});

describe('instantWhenWallReaches', () => {
  it('on an ordinary day is the plain difference', () => {
    const from = Date.UTC(2026, 10, 25, 12, 0);
    expect(instantWhenWallReaches(from, Date.UTC(2026, 10, 25, 15, 30), 'Europe/Berlin')).toBe(
      Date.UTC(2026, 10, 25, 14, 30),
    );
  });

  it('is the jump itself when spring forward skips the target (Berlin 02:30 on 29 March 2026)', () => {
    const from = Date.UTC(2026, 2, 28, 23, 0);
    expect(instantWhenWallReaches(from, Date.UTC(2026, 2, 29, 2, 30), 'Europe/Berlin')).toBe(
      Date.UTC(2026, 2, 29, 1, 0),
    );
  });

  it('is the first of the two 02:30s when autumn repeats the hour (Berlin, 25 October 2026)', () => {
    const from = Date.UTC(2026, 9, 24, 22, 0);
    expect(instantWhenWallReaches(from, Date.UTC(2026, 9, 25, 2, 30), 'Europe/Berlin')).toBe(
      Date.UTC(2026, 9, 25, 0, 30),
    );
  });

  it('finds 04:00 after a fall-back, one hour later than a fixed offset would say', () => {
    // From 02:45 CEST; the clock falls back at 03:00 CEST to 02:00 CET, so 04:00 CET is 2 h 15 min away.
    const from = Date.UTC(2026, 9, 25, 0, 45);
    expect(instantWhenWallReaches(from, Date.UTC(2026, 9, 25, 4, 0), 'Europe/Berlin')).toBe(
      Date.UTC(2026, 9, 25, 3, 0),
    );
  });

  it('returns the first instant at which the wall clock reads the target or later', () => {
    fc.assert(
      fc.property(arbInstant, arbTimeZone, fc.integer({ min: 1, max: 7 * DAY }), (from, zone, wallAhead) => {
        const target = wallTimeAt(from, zone).wallMs + wallAhead;
        const reached = instantWhenWallReaches(from, target, zone);
        expect(reached).toBeGreaterThan(from);
        expect(wallTimeAt(reached, zone).wallMs).toBeGreaterThanOrEqual(target);
        expect(wallTimeAt(reached - 1, zone).wallMs).toBeLessThan(target);
        // And not before: a sample of earlier instants all read less.
        for (let fraction = 0.1; fraction < 1; fraction += 0.2) {
          const earlier = Math.floor(from + (reached - from) * fraction);
          expect(wallTimeAt(earlier, zone).wallMs).toBeLessThan(target);
        }
      }),
    );
  });
});

describe('nextLocalMidnight', () => {
  it.each([
    // Berlin: an ordinary winter day.
    ['Europe/Berlin', Date.UTC(2026, 10, 25, 12), Date.UTC(2026, 10, 25, 23)],
    // Berlin: the spring-forward day has 23 hours; its midnight is CEST.
    ['Europe/Berlin', Date.UTC(2026, 2, 29, 12), Date.UTC(2026, 2, 29, 22)],
    // Berlin: the fall-back day has 25 hours.
    ['Europe/Berlin', Date.UTC(2026, 9, 25, 12), Date.UTC(2026, 9, 25, 23)],
    // New York: the day before spring forward ends at 00:00 EST.
    ['America/New_York', Date.UTC(2026, 2, 7, 17), Date.UTC(2026, 2, 8, 5)],
    // New York: the spring-forward day ends at 00:00 EDT.
    ['America/New_York', Date.UTC(2026, 2, 8, 16), Date.UTC(2026, 2, 9, 4)],
    // New York: fall back on 1 November 2026.
    ['America/New_York', Date.UTC(2026, 10, 1, 12), Date.UTC(2026, 10, 2, 5)],
    // Santiago jumps from 00:00 to 01:00 on 6 September 2026: tomorrow starts at 01:00 -03.
    ['America/Santiago', Date.UTC(2026, 8, 5, 16), Date.UTC(2026, 8, 6, 4)],
  ])('in %s from %i is %i', (zone, now, midnight) => {
    expect(nextLocalMidnight(now, zone)).toBe(midnight);
  });

  it('is the first instant whose local date is the next one, in every zone', () => {
    fc.assert(
      fc.property(arbInstant, arbTimeZone, (now, zone) => {
        const midnight = nextLocalMidnight(now, zone);
        const today = localDate(now, zone);
        expect(midnight).toBeGreaterThan(now);
        expect(localDate(midnight, zone) > today).toBe(true);
        expect(localDate(midnight - 1, zone)).toBe(today);
        expect(midnight - now).toBeLessThanOrEqual(25 * HOUR);
      }),
    );
  });
});

describe('formatClockTime', () => {
  const now = Date.UTC(2026, 10, 25, 12, 0); // Wednesday
  it.each([
    [Date.UTC(2026, 10, 25, 14, 30), 'UTC', '14:30'],
    [Date.UTC(2026, 10, 25, 14, 30), 'Asia/Kolkata', '20:00'],
    [Date.UTC(2026, 10, 26, 0, 0), 'UTC', 'tomorrow 00:00'],
    [Date.UTC(2026, 10, 25, 23, 0), 'Europe/Berlin', 'tomorrow 00:00'],
    [Date.UTC(2026, 10, 27, 22, 0), 'UTC', 'Fri 22:00'],
    [Date.UTC(2026, 11, 1, 7, 5), 'UTC', 'Tue 07:05'],
    [Date.UTC(2026, 11, 2, 7, 5), 'UTC', 'Wed 2 Dec 07:05'],
    [Date.UTC(2026, 10, 24, 7, 5), 'UTC', 'Tue 24 Nov 07:05'],
  ])('names %i in %s as "%s"', (instant, zone, text) => {
    expect(formatClockTime(instant, zone, now)).toBe(text);
  });
});
