/**
 * Clock times as the dashboard shows them: 24-hour HH:MM, with the day added
 * when it is not today. The time zone is a parameter so tests do not depend on
 * the machine's.
 */
import type { PauseOverride } from '../../agent/local-api/contract.ts';

function dayKey(epochMs: number, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(epochMs);
}

export function formatClockTime(epochMs: number, now: number, timeZone?: string): string {
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone }).format(
    epochMs,
  );
  if (dayKey(epochMs, timeZone) === dayKey(now, timeZone)) return time;
  const day = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone }).format(
    epochMs,
  );
  return `${day} ${time}`;
}

/**
 * When the owner's pause ends: a clock time, "until you resume", or null when
 * there is no pause in force (an expired one is the agent's to clear).
 */
export type PauseExpiry = { kind: 'at'; epochMs: number; clock: string } | { kind: 'until-resumed' };

export function pauseExpiry(override: PauseOverride | null, now: number, timeZone?: string): PauseExpiry | null {
  if (override === null) return null;
  if (override.until === null) return { kind: 'until-resumed' };
  if (override.until <= now) return null;
  return { kind: 'at', epochMs: override.until, clock: formatClockTime(override.until, now, timeZone) };
}
