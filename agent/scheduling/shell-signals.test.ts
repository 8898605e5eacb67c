import { describe, expect, it } from 'vitest';
import { effectiveShellSignals, SHELL_REPORT_STALE_MS, shellReportEveryMs } from './shell-signals.ts';

const report = (idleSeconds: number | null, isOnBattery: boolean | null = false) => ({
  signals: { hasInputSource: true, idleSeconds, isOnBattery },
  receivedAt: 1_000_000,
});

describe('effectiveShellSignals', () => {
  it('is headless when no shell ever reported', () => {
    expect(effectiveShellSignals(null, 5, true)).toEqual({
      hasInputSource: false,
      idleSeconds: null,
      isOnBattery: true,
    });
  });
  it('adds the time since the report to the idle reading', () => {
    expect(effectiveShellSignals(report(30), 1_001_500, null).idleSeconds).toBe(31.5);
  });
  it('treats a stale report as unknown idleness, never as idle', () => {
    const stale = effectiveShellSignals(report(3600), 1_000_000 + SHELL_REPORT_STALE_MS + 1, null);
    expect(stale).toEqual({ hasInputSource: true, idleSeconds: null, isOnBattery: false });
    expect(effectiveShellSignals(report(3600), 1_000_000 + SHELL_REPORT_STALE_MS, null).idleSeconds).toBe(3605);
  });
  it("falls back to the agent's own battery reading when the shell cannot tell", () => {
    expect(effectiveShellSignals(report(1, null), 1_000_000, true).isOnBattery).toBe(true);
    expect(effectiveShellSignals(report(1, false), 1_000_000, true).isOnBattery).toBe(false);
  });
  it('keeps unknown idle unknown', () => {
    expect(effectiveShellSignals(report(null), 1_000_100, null).idleSeconds).toBeNull();
  });
});

describe('shellReportEveryMs', () => {
  it('asks for 100 ms only while earning with an input source to watch', () => {
    expect(shellReportEveryMs(true, true)).toBe(100);
    expect(shellReportEveryMs(true, false)).toBe(2000);
    expect(shellReportEveryMs(false, true)).toBe(2000);
  });
});
