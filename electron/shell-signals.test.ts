import { describe, expect, it } from 'vitest';
import {
  buildShellSignals,
  FALLBACK_REPORT_EVERY_MS,
  isWaylandSession,
  MAX_REPORT_EVERY_MS,
  MIN_REPORT_EVERY_MS,
  nextReportDelayMs,
} from './shell-signals.ts';

describe('isWaylandSession', () => {
  it.each([
    [{ XDG_SESSION_TYPE: 'wayland' }, true],
    [{ XDG_SESSION_TYPE: 'Wayland ' }, true],
    [{ XDG_SESSION_TYPE: 'x11', WAYLAND_DISPLAY: 'wayland-0' }, false],
    [{ WAYLAND_DISPLAY: 'wayland-0' }, true],
    [{ WAYLAND_DISPLAY: '' }, false],
    [{ DISPLAY: ':0' }, false],
    [{}, false],
  ])('on Linux with %o is %s', (env, expected) => {
    expect(isWaylandSession({ platform: 'linux', env })).toBe(expected);
  });

  it.each(['darwin', 'win32'] as const)('is never true on %s', (platform) => {
    expect(isWaylandSession({ platform, env: { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' } })).toBe(
      false,
    );
  });
});

describe('buildShellSignals', () => {
  it('passes idle seconds and battery through where idle time is readable', () => {
    expect(buildShellSignals({ systemIdleSeconds: 42, isOnBatteryPower: true }, true)).toEqual({
      hasInputSource: true,
      idleSeconds: 42,
      isOnBattery: true,
    });
    expect(buildShellSignals({ systemIdleSeconds: 0, isOnBatteryPower: false }, true)).toEqual({
      hasInputSource: true,
      idleSeconds: 0,
      isOnBattery: false,
    });
  });

  it('reports idle as unknown (null), never as 0, where it cannot be read (Wayland)', () => {
    expect(buildShellSignals({ systemIdleSeconds: 0, isOnBatteryPower: false }, false).idleSeconds).toBeNull();
    expect(buildShellSignals({ systemIdleSeconds: 600, isOnBatteryPower: true }, false)).toEqual({
      hasInputSource: true,
      idleSeconds: null,
      isOnBattery: true,
    });
  });

  it('treats an impossible reading as unknown', () => {
    for (const systemIdleSeconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(buildShellSignals({ systemIdleSeconds, isOnBatteryPower: false }, true).idleSeconds).toBeNull();
    }
  });
});

describe('nextReportDelayMs', () => {
  it('follows the agent’s cadence: 250 ms while earning, 2 s otherwise', () => {
    expect(nextReportDelayMs(250)).toBe(250);
    expect(nextReportDelayMs(2000)).toBe(2000);
  });

  it('falls back to 2 s when there was no answer', () => {
    expect(nextReportDelayMs(null)).toBe(FALLBACK_REPORT_EVERY_MS);
    expect(nextReportDelayMs(Number.NaN)).toBe(FALLBACK_REPORT_EVERY_MS);
  });

  it('keeps an odd answer within bounds, below the agent’s 5 s staleness', () => {
    expect(nextReportDelayMs(1)).toBe(MIN_REPORT_EVERY_MS);
    expect(nextReportDelayMs(60_000)).toBe(MAX_REPORT_EVERY_MS);
    expect(MAX_REPORT_EVERY_MS).toBeLessThan(5000);
  });
});
