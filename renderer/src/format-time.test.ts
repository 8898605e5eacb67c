import { describe, expect, it } from 'vitest';
import { formatClockTime, pauseExpiry } from './format-time.ts';

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

describe('pauseExpiry', () => {
  it('is null without a pause', () => {
    expect(pauseExpiry(null, now, 'UTC')).toBeNull();
  });

  it('says "until resumed" for a pause without an end', () => {
    expect(pauseExpiry({ kind: 'pause', until: null, setAt: now }, now, 'UTC')).toEqual({ kind: 'until-resumed' });
  });

  it('gives the clock time of a pause that ends later', () => {
    const until = now + 15 * 60_000;
    expect(pauseExpiry({ kind: 'pause', until, setAt: now }, now, 'UTC')).toEqual({
      kind: 'at',
      epochMs: until,
      clock: '09:15',
    });
  });

  it('is null for a pause that has already ended', () => {
    expect(pauseExpiry({ kind: 'pause', until: now, setAt: now - 1 }, now, 'UTC')).toBeNull();
  });
});
