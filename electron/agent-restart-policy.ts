/**
 * When main restarts an agent that exited on its own. Pure: the exit times
 * and the clock come in. A crash now and then is restarted after a short,
 * growing delay; a crash loop stops, so a broken install does not spin a core
 * forever, and the tray says so instead.
 */

/** Exits within this window count towards giving up. */
export const CRASH_WINDOW_MS = 60_000;
/** This many exits within the window and main stops restarting. */
export const MAX_CRASHES_IN_WINDOW = 5;

export type RestartDecision = { kind: 'restart'; delayMs: number } | { kind: 'give-up' };

/** `exitTimes` are the epoch ms of past unexpected exits, the newest included. */
export function decideRestart(exitTimes: readonly number[], now: number): RestartDecision {
  const recent = exitTimes.filter((time) => now - time < CRASH_WINDOW_MS).length;
  if (recent >= MAX_CRASHES_IN_WINDOW) return { kind: 'give-up' };
  // 1 s, 2 s, 4 s, 8 s: long enough for a port or a file lock to be released.
  return { kind: 'restart', delayMs: 1000 * 2 ** Math.max(0, recent - 1) };
}
