import { describe, expect, it } from 'vitest';
import { CRASH_WINDOW_MS, decideRestart, MAX_CRASHES_IN_WINDOW } from './agent-restart-policy.ts';

describe('decideRestart', () => {
  const now = 1_000_000;

  it('restarts after 1 s, 2 s, 4 s, 8 s for crashes close together', () => {
    const times: number[] = [];
    const delays: number[] = [];
    for (let i = 0; i < MAX_CRASHES_IN_WINDOW - 1; i++) {
      times.push(now + i);
      const decision = decideRestart(times, now + i);
      if (decision.kind !== 'restart') throw new Error('gave up too early');
      delays.push(decision.delayMs);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
  });

  it('gives up at the fifth crash within a minute', () => {
    const times = Array.from({ length: MAX_CRASHES_IN_WINDOW }, (_, i) => now + i * 1000);
    expect(decideRestart(times, now + 5000)).toEqual({ kind: 'give-up' });
  });

  it('forgets crashes older than the window', () => {
    const old = Array.from({ length: 10 }, (_, i) => now + i);
    const later = now + CRASH_WINDOW_MS + 10;
    expect(decideRestart([...old, later], later)).toEqual({ kind: 'restart', delayMs: 1000 });
  });
});
