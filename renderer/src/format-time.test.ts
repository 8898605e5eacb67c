import { describe, expect, it } from 'vitest';
import { formatClockTime, formatDuration, formatHourMinute, overrideSummary } from './format-time.ts';

const now = Date.UTC(2026, 2, 3, 9, 0); // Tue 3 Mar 2026, 09:00 UTC

describe('formatClockTime', () => {
  it('shows HH:MM in 24-hour time for today', () => {
    expect(formatClockTime(Date.UTC(2026, 2, 3, 14, 5), now, 'UTC')).toBe('14:05');
    expect(formatClockTime(Date.UTC(2026, 2, 3, 0, 0), now, 'UTC')).toBe('00:00');
  });

  it('adds the day when it is not today', () => {
    expect(formatClockTime(Date.UTC(2026, 2, 4, 8, 30), now, 'UTC')).toBe('Wed 4 Mar 08:30');
  });

  it('uses the given time zone for both the time and the day', () => {
    expect(formatClockTime(Date.UTC(2026, 2, 3, 23, 30), now, 'Asia/Tokyo')).toBe('Wed 4 Mar 08:30');
    expect(formatClockTime(Date.UTC(2026, 2, 3, 23, 30), Date.UTC(2026, 2, 3, 20, 0), 'Asia/Tokyo')).toBe('08:30');
  });
});

describe('overrideSummary', () => {
  it('is null without an override', () => {
    expect(overrideSummary(null, now, 'UTC')).toBeNull();
  });

  it('says "you resume" for a pause without an end', () => {
    expect(overrideSummary({ kind: 'pause', until: null, setAt: now }, now, 'UTC')).toEqual({
      label: 'Paused until',
      value: 'you resume',
      epochMs: null,
    });
  });

  it('gives the clock time of a pause or an earn-now that ends later', () => {
    const until = now + 15 * 60_000;
    expect(overrideSummary({ kind: 'pause', until, setAt: now }, now, 'UTC')).toEqual({
      label: 'Paused until',
      value: '09:15',
      epochMs: until,
    });
    expect(overrideSummary({ kind: 'earn-now', until, setAt: now }, now, 'UTC')).toMatchObject({
      label: 'Earning now until',
      value: '09:15',
    });
  });

  it('names the running job for finish-then-pause', () => {
    expect(overrideSummary({ kind: 'finish-then-pause', until: null, setAt: now }, now, 'UTC')).toEqual({
      label: 'Pausing after',
      value: 'the running job',
      epochMs: null,
    });
  });

  it('is null for an override that has already ended', () => {
    expect(overrideSummary({ kind: 'pause', until: now, setAt: now - 1 }, now, 'UTC')).toBeNull();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, 'under 1 min'],
    [59_999, 'under 1 min'],
    [60_000, '1 min'],
    [45 * 60_000, '45 min'],
    [3 * 3_600_000, '3 h'],
    [2 * 3_600_000 + 5 * 60_000 + 59_000, '2 h 5 min'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatHourMinute', () => {
  it('writes 24-hour time in the zone', () => {
    expect(formatHourMinute(Date.UTC(2026, 2, 3, 14, 5), 'UTC')).toBe('14:05');
    expect(formatHourMinute(Date.UTC(2026, 2, 3, 23, 30), 'Asia/Tokyo')).toBe('08:30');
  });
});
