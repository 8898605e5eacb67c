/**
 * What the owner's pause means for the status right now. Pure: the clock and
 * the time zone come in as arguments, so expiry is tested to the millisecond.
 */
import type { AgentState, PauseOverride } from '../local-api/contract.ts';

export interface StateAndReason {
  state: AgentState;
  reason: string;
}

/** A pause is in force from when it was set until (not including) its `until`. */
export function isPauseInForce(override: PauseOverride | null, now: number): override is PauseOverride {
  return override !== null && (override.until === null || now < override.until);
}

export function formatClockTime(epochMs: number, timeZone: string | undefined, now: number): string {
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hour12: false, timeZone };
  const sameDay =
    new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(epochMs) ===
    new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(now);
  const time = new Intl.DateTimeFormat('en-GB', options).format(epochMs);
  if (sameDay) return time;
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(
    epochMs,
  );
  return `${day} ${time}`;
}

/**
 * The owner's pause wins over whatever the machine would otherwise do; an
 * expired pause is as if there were none.
 */
export function applyPause(
  underlying: StateAndReason,
  override: PauseOverride | null,
  now: number,
  timeZone?: string,
): StateAndReason {
  if (!isPauseInForce(override, now)) return underlying;
  if (override.until === null) {
    return { state: 'paused', reason: 'Paused by you: earning stays off until you resume.' };
  }
  return {
    state: 'paused',
    reason: `Paused by you until ${formatClockTime(override.until, timeZone, now)}: earning resumes by itself then.`,
  };
}
