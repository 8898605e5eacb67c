import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../agent/local-api/contract.ts';
import { statusFixture } from '../test-support/fixtures.ts';
import { startOfLocalDay, type TodayTimeline, timePerState, todayBounds, todayPeriods, withStatus } from './today.ts';

const HOUR = 3_600_000;
const midnight = Date.UTC(2026, 5, 10); // A Wednesday, in UTC.

function entry(at: number, state: TimelineEntry['state'], cause: TimelineEntry['cause'] = 'no-jobs'): TimelineEntry {
  return { at, state, cause, reason: `${state} because ${cause}` };
}

const timeline = (entries: TimelineEntry[]): TodayTimeline => ({
  dayStartMs: midnight,
  dayEndMs: midnight + 24 * HOUR,
  entries,
});

describe('startOfLocalDay', () => {
  it('is local midnight in the owner’s zone', () => {
    expect(startOfLocalDay(midnight + 15 * HOUR, 'UTC')).toBe(midnight);
    expect(startOfLocalDay(midnight, 'UTC')).toBe(midnight);
    expect(startOfLocalDay(midnight - 1, 'UTC')).toBe(midnight - 24 * HOUR);
    // Berlin in summer is UTC+2: its midnight is 22:00 UTC the day before.
    expect(startOfLocalDay(midnight + 15 * HOUR, 'Europe/Berlin')).toBe(midnight - 2 * HOUR);
    expect(startOfLocalDay(midnight - 2 * HOUR - 1, 'Europe/Berlin')).toBe(midnight - 26 * HOUR);
  });

  it('handles the days daylight saving starts and ends', () => {
    // Berlin 2026-03-29: 02:00 jumps to 03:00; that day starts at 23:00 UTC the day before and lasts 23 hours.
    const springDay = Date.UTC(2026, 2, 28, 23);
    expect(startOfLocalDay(Date.UTC(2026, 2, 29, 20), 'Europe/Berlin')).toBe(springDay);
    expect(todayBounds(Date.UTC(2026, 2, 29, 1, 30), 'Europe/Berlin')).toEqual({
      dayStartMs: springDay,
      dayEndMs: springDay + 23 * HOUR,
    });
    // 2026-10-25: 03:00 falls back to 02:00; a 25-hour day.
    const autumnDay = Date.UTC(2026, 9, 24, 22);
    expect(todayBounds(Date.UTC(2026, 9, 25, 12), 'Europe/Berlin')).toEqual({
      dayStartMs: autumnDay,
      dayEndMs: autumnDay + 25 * HOUR,
    });
  });
});

describe('todayPeriods', () => {
  it('starts the day in the state recorded before midnight and ends at now', () => {
    const periods = todayPeriods(
      timeline([entry(midnight - 5 * HOUR, 'paused'), entry(midnight + 8 * HOUR, 'earning', 'idle')]),
      midnight + 10 * HOUR,
    );
    expect(periods.map((p) => [p.state, (p.startMs - midnight) / HOUR, (p.endMs - midnight) / HOUR])).toEqual([
      ['paused', 0, 8],
      ['earning', 8, 10],
    ]);
  });

  it('leaves the time before the first record undrawn, and skips entries older than today', () => {
    const periods = todayPeriods(
      timeline([
        entry(midnight - 9 * HOUR, 'waiting', 'owner-active'),
        entry(midnight - 3 * HOUR, 'earning', 'idle'),
        entry(midnight - 1 * HOUR, 'earning', 'idle'),
      ]),
      midnight + 1 * HOUR,
    );
    expect(periods).toHaveLength(1);
    expect(periods[0]).toMatchObject({ startMs: midnight, endMs: midnight + HOUR, state: 'earning' });
    expect(todayPeriods(timeline([entry(midnight + 2 * HOUR, 'waiting')]), midnight + 3 * HOUR)[0]?.startMs).toBe(
      midnight + 2 * HOUR,
    );
  });

  it('draws nothing in the future or after midnight, and nothing for an empty record', () => {
    expect(todayPeriods(timeline([]), midnight + HOUR)).toEqual([]);
    expect(todayPeriods(timeline([entry(midnight + 2 * HOUR, 'waiting')]), midnight + HOUR)).toEqual([]);
    const late = todayPeriods(timeline([entry(midnight + 23 * HOUR, 'earning')]), midnight + 30 * HOUR);
    expect(late[0]?.endMs).toBe(midnight + 24 * HOUR);
  });

  it('shows the ongoing state from the moment it began, before the clock moved on', () => {
    const periods = todayPeriods(timeline([entry(midnight + HOUR, 'paused', 'owner-paused')]), midnight + HOUR);
    expect(periods).toEqual([
      {
        startMs: midnight + HOUR,
        endMs: midnight + HOUR,
        state: 'paused',
        cause: 'owner-paused',
        reason: expect.any(String),
      },
    ]);
  });

  it('keeps each period’s reason as recorded', () => {
    const [period] = todayPeriods(timeline([entry(midnight, 'paused', 'on-battery')]), midnight + HOUR);
    expect(period?.reason).toBe('paused because on-battery');
    expect(period?.cause).toBe('on-battery');
  });
});

describe('withStatus', () => {
  const base = timeline([entry(midnight + HOUR, 'waiting', 'owner-active')]);

  it('appends a status with a new state or cause, at the moment it began', () => {
    const status = statusFixture({ state: 'earning', cause: 'idle', since: midnight + 2 * HOUR, reason: 'Earning: x' });
    expect(withStatus(base, status).entries.at(-1)).toEqual({
      at: midnight + 2 * HOUR,
      state: 'earning',
      cause: 'idle',
      reason: 'Earning: x',
    });
    const newCause = statusFixture({ state: 'waiting', cause: 'outside-schedule', since: midnight + 2 * HOUR });
    expect(withStatus(base, newCause).entries).toHaveLength(2);
  });

  it('ignores a repeat of the last state and cause (the reason’s numbers change every second)', () => {
    const repeat = statusFixture({ state: 'waiting', cause: 'owner-active', since: midnight + HOUR, reason: 'other' });
    expect(withStatus(base, repeat)).toBe(base);
  });

  it('ignores a status older than the last entry', () => {
    const old = statusFixture({ state: 'paused', cause: 'owner-paused', since: midnight });
    expect(withStatus(base, old)).toBe(base);
  });

  it('starts an empty timeline', () => {
    const status = statusFixture({ state: 'paused', cause: 'owner-paused', since: midnight + 5 });
    expect(withStatus(timeline([]), status).entries).toHaveLength(1);
  });
});

describe('timePerState', () => {
  it('sums each state’s time, largest first', () => {
    const periods = todayPeriods(
      timeline([
        entry(midnight, 'waiting'),
        entry(midnight + HOUR, 'earning'),
        entry(midnight + 4 * HOUR, 'waiting', 'owner-active'),
      ]),
      midnight + 7 * HOUR,
    );
    expect(timePerState(periods)).toEqual([
      { state: 'waiting', ms: 4 * HOUR },
      { state: 'earning', ms: 3 * HOUR },
    ]);
  });
});
