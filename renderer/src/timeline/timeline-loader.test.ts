import { describe, expect, it, vi } from 'vitest';
import type { TimelineEntry } from '../../../agent/local-api/contract.ts';
import { fakeConnection } from '../test-support/fake-connection.ts';
import { createTimelineFollower, loadTodayTimeline } from './timeline-loader.ts';
import type { TodayTimeline } from './today.ts';

const HOUR = 3_600_000;
const midnight = Date.UTC(2026, 5, 10);
const entries: TimelineEntry[] = [{ at: midnight + HOUR, state: 'waiting', cause: 'no-jobs', reason: 'x' }];

describe('loadTodayTimeline', () => {
  it('asks from a day before local midnight and returns today’s bounds', async () => {
    const connection = fakeConnection(async () => entries);
    const timeline = await loadTodayTimeline(connection, 'UTC', midnight + 10 * HOUR);
    expect(connection.calls).toEqual([{ method: 'timeline.list', params: { sinceMs: midnight - 24 * HOUR } }]);
    expect(timeline).toEqual({ dayStartMs: midnight, dayEndMs: midnight + 24 * HOUR, entries });
  });
});

describe('createTimelineFollower', () => {
  function harness(startAt: number) {
    let now = startAt;
    const scheduled: { callback: () => void; ms: number }[] = [];
    const received: TodayTimeline[] = [];
    const connection = fakeConnection(async () => entries);
    const follower = createTimelineFollower({
      connection,
      onTimeline: (timeline) => received.push(timeline),
      now: () => now,
      timers: {
        set: (callback, ms) => scheduled.push({ callback, ms }),
        clear: () => {},
      },
    });
    return { follower, received, scheduled, connection, setNow: (value: number) => (now = value) };
  }

  it('loads today, then again just after the next midnight', async () => {
    const { follower, received, scheduled, setNow } = harness(midnight + 23 * HOUR);
    follower.follow('UTC');
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(scheduled.at(-1)?.ms).toBe(HOUR + 1000);
    setNow(midnight + 24 * HOUR + 1000);
    scheduled.at(-1)?.callback();
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received[1]?.dayStartMs).toBe(midnight + 24 * HOUR);
    follower.stop();
  });

  it('loads again only when the zone changes, and not at all after stop()', async () => {
    const { follower, received, connection } = harness(midnight + HOUR);
    follower.follow('UTC');
    follower.follow('UTC');
    await vi.waitFor(() => expect(received).toHaveLength(1));
    follower.follow('Asia/Tokyo');
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(connection.calls).toHaveLength(2);
    follower.stop();
    follower.follow('Europe/Berlin');
    expect(connection.calls).toHaveLength(2);
  });

  it('drops a late answer for a zone it no longer follows', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const received: TodayTimeline[] = [];
    let calls = 0;
    const connection = fakeConnection(async () => {
      calls += 1;
      if (calls === 1) await gate;
      return entries;
    });
    const follower = createTimelineFollower({
      connection,
      onTimeline: (timeline) => received.push(timeline),
      now: () => midnight + HOUR,
      timers: { set: () => 0, clear: () => {} },
    });
    follower.follow('UTC');
    follower.follow('Asia/Tokyo');
    await vi.waitFor(() => expect(received).toHaveLength(1));
    release();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(received).toHaveLength(1);
    expect(received[0]?.dayStartMs).toBe(Date.UTC(2026, 5, 9, 15));
    follower.stop();
  });
});
