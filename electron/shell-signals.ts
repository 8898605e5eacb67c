/**
 * What the desktop shell tells the agent about the owner's presence and the
 * power source, built from powerMonitor's readings. Pure, so the rules that
 * decide "idle unknown" are tested without Electron.
 */
import type { ShellSignals } from '../agent/local-api/contract.ts';

/** What main reads from powerMonitor on each report. */
export interface PowerReadings {
  /** powerMonitor.getSystemIdleTime(): whole seconds since the last input. */
  systemIdleSeconds: number;
  /** powerMonitor.isOnBatteryPower(). */
  isOnBatteryPower: boolean;
}

/** The parts of the environment that say whether idle time can be read at all. */
export interface SessionFacts {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * On Wayland, Electron's getSystemIdleTime always answers 0 (electron #34826,
 * #27912): the compositor does not share input times with X11 clients. A
 * constant 0 would read as "the owner is typing" forever, so it is unknown.
 */
export function isWaylandSession({ platform, env }: SessionFacts): boolean {
  if (platform !== 'linux') return false;
  const sessionType = env.XDG_SESSION_TYPE?.trim().toLowerCase();
  if (sessionType === 'wayland') return true;
  if (sessionType === 'x11') return false;
  return (env.WAYLAND_DISPLAY ?? '') !== '';
}

export function buildShellSignals(readings: PowerReadings, isIdleTimeReadable: boolean): ShellSignals {
  const idle = readings.systemIdleSeconds;
  return {
    // A desktop shell runs where someone can sit at the keyboard.
    hasInputSource: true,
    idleSeconds: isIdleTimeReadable && Number.isFinite(idle) && idle >= 0 ? idle : null,
    isOnBattery: readings.isOnBatteryPower,
  };
}

/** Until the agent answers (or while it cannot), report at the agent's slow cadence. */
export const FALLBACK_REPORT_EVERY_MS = 2000;
/** Never faster than this, whatever an answer says: a wrong answer must not spin main. */
export const MIN_REPORT_EVERY_MS = 100;
/** Never slower than this: the agent treats a report older than 5 s as stale. */
export const MAX_REPORT_EVERY_MS = 4000;

/** The delay before the next report: what the agent asked for, kept within sane bounds; a failure falls back. */
export function nextReportDelayMs(askedEveryMs: number | null): number {
  if (askedEveryMs === null || !Number.isFinite(askedEveryMs)) return FALLBACK_REPORT_EVERY_MS;
  return Math.min(MAX_REPORT_EVERY_MS, Math.max(MIN_REPORT_EVERY_MS, Math.round(askedEveryMs)));
}
