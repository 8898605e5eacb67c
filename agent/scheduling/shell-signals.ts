/**
 * Which idle and power readings the scheduler uses. A desktop shell reports
 * them through the local API; without one (a headless rig) the machine
 * follows the schedule alone. A shell that stops reporting is not trusted to
 * be idle: its last idle reading goes stale and counts as unknown.
 */
import type { ShellSignals } from '../scheduler/signals.ts';

/**
 * While earning, the shell reports every 100 ms (the bound is 250): the wait for the next sample is
 * most of the time between the owner's touch and the machine handed back, and a report costs microseconds.
 */
export const EARNING_REPORT_EVERY_MS = 100;
export const WAITING_REPORT_EVERY_MS = 2000;
/** A report older than this no longer says anything about the owner's presence. */
export const SHELL_REPORT_STALE_MS = 5000;

export interface ShellReport {
  signals: ShellSignals;
  receivedAt: number;
}

export function effectiveShellSignals(
  report: ShellReport | null,
  now: number,
  hostIsOnBattery: boolean | null,
): ShellSignals {
  if (report === null) return { hasInputSource: false, idleSeconds: null, isOnBattery: hostIsOnBattery };
  const isFresh = now - report.receivedAt <= SHELL_REPORT_STALE_MS;
  const isOnBattery = report.signals.isOnBattery ?? hostIsOnBattery;
  if (!isFresh) return { hasInputSource: report.signals.hasInputSource, idleSeconds: null, isOnBattery };
  // Idle time grows while no new report comes; counting the gap keeps the idle threshold exact.
  const idleSeconds =
    report.signals.idleSeconds === null ? null : report.signals.idleSeconds + (now - report.receivedAt) / 1000;
  return { ...report.signals, idleSeconds, isOnBattery };
}

/** How often the shell should report: fast while earning (to hand the machine back at once), slow otherwise. */
export function shellReportEveryMs(isEarning: boolean, hasInputSource: boolean): number {
  return isEarning && hasInputSource ? EARNING_REPORT_EVERY_MS : WAITING_REPORT_EVERY_MS;
}
