/**
 * Today's timeline as the Home screen draws it: the periods of each state from
 * the owner's local midnight until now. The agent records one entry per change
 * of state or cause; a period lasts until the next entry, and the state at
 * midnight is the last entry before it (which is why the dashboard asks for a
 * day more than it shows).
 */

import { startOfLocalDay } from '../../../agent/earnings/local-calendar.ts';
import type { AgentState, DecisionCause, Status, TimelineEntry } from '../../../agent/local-api/contract.ts';
import { nextLocalMidnight } from '../../../agent/scheduler/wall-clock.ts';

/** The first instant of the owner's local day, daylight-saving jumps included (the agent's calendar, one rule). */
export { startOfLocalDay };

/** How far before midnight the dashboard asks, to learn the state the day started in. */
export const TIMELINE_LOOKBACK_MS = 24 * 60 * 60 * 1000;

export interface TodayTimeline {
  /** The owner's local midnight that started today. */
  dayStartMs: number;
  /** The next midnight: where the day bar ends. */
  dayEndMs: number;
  /** Entries from the lookback on, oldest first. */
  entries: TimelineEntry[];
}

export interface TimelinePeriod {
  startMs: number;
  endMs: number;
  state: AgentState;
  cause: DecisionCause;
  reason: string;
}

export function todayBounds(now: number, timeZone: string): { dayStartMs: number; dayEndMs: number } {
  return { dayStartMs: startOfLocalDay(now, timeZone), dayEndMs: nextLocalMidnight(now, timeZone) };
}

/** Adds what a status push says to the timeline, as the agent's own record would: only a new state or cause. */
export function withStatus(timeline: TodayTimeline, status: Status): TodayTimeline {
  const last = timeline.entries.at(-1);
  if (last !== undefined && (status.since < last.at || (last.state === status.state && last.cause === status.cause))) {
    return timeline;
  }
  const entry: TimelineEntry = { at: status.since, state: status.state, cause: status.cause, reason: status.reason };
  return { ...timeline, entries: [...timeline.entries, entry] };
}

/** The periods that fall within today, clipped to midnight and to now; nothing is drawn for the future. */
export function todayPeriods(timeline: TodayTimeline, now: number): TimelinePeriod[] {
  const end = Math.min(now, timeline.dayEndMs);
  const periods: TimelinePeriod[] = [];
  timeline.entries.forEach((entry, index) => {
    const next = timeline.entries[index + 1];
    const startMs = Math.max(entry.at, timeline.dayStartMs);
    const endMs = Math.min(next?.at ?? end, end);
    // The ongoing period is shown from the moment it starts, even before the clock has moved past it.
    const isOngoing = next === undefined && startMs <= end && startMs < timeline.dayEndMs;
    if (endMs < startMs || (endMs === startMs && !isOngoing)) return;
    periods.push({ startMs, endMs, state: entry.state, cause: entry.cause, reason: entry.reason });
  });
  return periods;
}

/** Total time per state today, largest first, for the sentence under the bar. */
export function timePerState(periods: readonly TimelinePeriod[]): { state: AgentState; ms: number }[] {
  const totals = new Map<AgentState, number>();
  for (const period of periods)
    totals.set(period.state, (totals.get(period.state) ?? 0) + period.endMs - period.startMs);
  return [...totals].map(([state, ms]) => ({ state, ms })).sort((a, b) => b.ms - a.ms);
}
