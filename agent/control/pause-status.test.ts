import { describe, expect, it } from 'vitest';
import { applyPause, formatClockTime, isPauseInForce } from './pause-status.ts';

const idle = { state: 'no-work' as const, reason: 'No work yet.' };
const at = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('applyPause', () => {
  it('passes the underlying state through when there is no pause', () => {
    expect(applyPause(idle, null, at, 'UTC')).toEqual(idle);
  });
  it('pauses until resumed when the pause has no end', () => {
    const result = applyPause(idle, { kind: 'pause', until: null, setAt: at }, at + 10 ** 9, 'UTC');
    expect(result.state).toBe('paused');
    expect(result.reason).toMatch(/until you resume/);
  });
  it('is in force up to the millisecond before its end and gone at its end', () => {
    const pause = { kind: 'pause' as const, until: at + 3_600_000, setAt: at };
    expect(applyPause(idle, pause, at + 3_599_999, 'UTC').state).toBe('paused');
    expect(applyPause(idle, pause, at + 3_600_000, 'UTC')).toEqual(idle);
    expect(isPauseInForce(pause, at + 3_600_000)).toBe(false);
  });
  it('names the end time in the owner time zone', () => {
    const pause = { kind: 'pause' as const, until: at + 90 * 60_000, setAt: at };
    expect(applyPause(idle, pause, at, 'UTC').reason).toBe(
      'Paused by you until 13:30: earning resumes by itself then.',
    );
    expect(applyPause(idle, pause, at, 'Asia/Kolkata').reason).toContain('until 19:00');
  });
});

describe('formatClockTime', () => {
  it('adds the day when the time is not today', () => {
    expect(formatClockTime(at + 24 * 3_600_000, 'UTC', at)).toBe('Thu 26 Nov 12:00');
  });
});
