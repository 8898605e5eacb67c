/**
 * Loads today's timeline from the agent and reloads it at each local midnight,
 * while one connection lives. Runs in the connection loop, never in a
 * component: the screen only draws what the store holds.
 */
import type { LocalApiConnection } from '../../../agent/local-api/client.ts';
import { TIMELINE_LOOKBACK_MS, type TodayTimeline, todayBounds } from './today.ts';

export async function loadTodayTimeline(
  connection: Pick<LocalApiConnection, 'call'>,
  timeZone: string,
  now: number,
): Promise<TodayTimeline> {
  const bounds = todayBounds(now, timeZone);
  const entries = await connection.call('timeline.list', {
    sinceMs: Math.max(0, bounds.dayStartMs - TIMELINE_LOOKBACK_MS),
  });
  return { ...bounds, entries };
}

export interface TimelineFollowerDeps {
  connection: Pick<LocalApiConnection, 'call'>;
  onTimeline(timeline: TodayTimeline): void;
  now(): number;
  timers: { set(callback: () => void, ms: number): unknown; clear(handle: unknown): void };
}

export interface TimelineFollower {
  /** Loads today in this zone (again, when the owner's zone changed). */
  follow(timeZone: string): void;
  stop(): void;
}

/** A day-change reload comes this long after midnight, so "today" is surely the new day. */
const AFTER_MIDNIGHT_MS = 1000;

export function createTimelineFollower(deps: TimelineFollowerDeps): TimelineFollower {
  let timer: unknown = null;
  let zone: string | null = null;
  let isStopped = false;

  const load = (timeZone: string) => {
    if (timer !== null) deps.timers.clear(timer);
    timer = null;
    loadTodayTimeline(deps.connection, timeZone, deps.now()).then(
      (timeline) => {
        if (isStopped || zone !== timeZone) return;
        deps.onTimeline(timeline);
        const untilTomorrow = Math.max(0, timeline.dayEndMs - deps.now()) + AFTER_MIDNIGHT_MS;
        timer = deps.timers.set(() => load(timeZone), untilTomorrow);
      },
      () => {}, // The connection is closing; the next one loads again.
    );
  };

  return {
    follow(timeZone) {
      if (isStopped || timeZone === zone) return;
      zone = timeZone;
      load(timeZone);
    },
    stop() {
      isStopped = true;
      if (timer !== null) deps.timers.clear(timer);
      timer = null;
    },
  };
}
