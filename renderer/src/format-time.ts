/**
 * Clock times as the dashboard shows them: 24-hour HH:MM, with the day added
 * when it is not today. The time zone is a parameter so tests do not depend on
 * the machine's.
 */
import type { OwnerOverride } from '../../agent/local-api/contract.ts';

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

/** What the owner's override is doing and until when, as the status card shows it. */
export interface OverrideSummary {
  /** "Paused until", "Earning now until", "Pausing after". */
  label: string;
  /** A clock time, "you resume" or "the running job". */
  value: string;
  /** The expiry, for a machine-readable <time>; null when it has none. */
  epochMs: number | null;
}

/** Null when no override is in force (an expired one is the agent's to clear). */
export function overrideSummary(
  override: OwnerOverride | null,
  now: number,
  timeZone?: string,
): OverrideSummary | null {
  if (override === null) return null;
  if (override.until !== null && override.until <= now) return null;
  const until = override.until === null ? null : formatClockTime(override.until, now, timeZone);
  switch (override.kind) {
    case 'pause':
      return { label: 'Paused until', value: until ?? 'you resume', epochMs: override.until };
    case 'earn-now':
      return { label: 'Earning now until', value: until ?? '', epochMs: override.until };
    case 'finish-then-pause':
      return { label: 'Pausing after', value: 'the running job', epochMs: null };
  }
}

/** A length of time for the timeline: "45 min", "3 h", "2 h 5 min", "under 1 min". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'under 1 min';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** 24-hour HH:MM in the given zone (the timeline's clock times). */
export function formatHourMinute(epochMs: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone }).format(
    epochMs,
  );
}
