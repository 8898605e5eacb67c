import { describe, expect, it } from 'vitest';
import { EARNING_IDLE_SAMPLE_MS, LONGEST_WAIT_MS, nextCheckAt, WAITING_MIN_INTERVAL_MS } from './next-check.ts';
import { T0 } from './test-fixtures.ts';

describe('nextCheckAt', () => {
  it('samples every 250 ms while earning with input to watch', () => {
    expect(nextCheckAt(T0, 'watch-input', [])).toBe(T0 + EARNING_IDLE_SAMPLE_MS);
    expect(nextCheckAt(T0, 'watch-input', [T0 + 60_000])).toBe(T0 + EARNING_IDLE_SAMPLE_MS);
  });

  it('wakes exactly at an event sooner than that', () => {
    expect(nextCheckAt(T0, 'watch-input', [T0 + 100])).toBe(T0 + 100);
    expect(nextCheckAt(T0, 'earning', [T0 + 100])).toBe(T0 + 100);
  });

  it('never asks more often than every 2 s while not earning', () => {
    expect(nextCheckAt(T0, 'waiting', [T0 + 100])).toBe(T0 + WAITING_MIN_INTERVAL_MS);
    expect(nextCheckAt(T0, 'waiting', [T0 + 5_000])).toBe(T0 + 5_000);
  });

  it('looks again after 10 s when nothing is due', () => {
    expect(nextCheckAt(T0, 'waiting', [null])).toBe(T0 + LONGEST_WAIT_MS);
    expect(nextCheckAt(T0, 'earning', [T0 + 3_600_000])).toBe(T0 + LONGEST_WAIT_MS);
  });

  it('ignores events that are not in the future', () => {
    expect(nextCheckAt(T0, 'earning', [T0, T0 - 5, T0 + 7_000])).toBe(T0 + 7_000);
  });

  it('rounds a fractional event up to a whole millisecond', () => {
    expect(nextCheckAt(T0, 'earning', [T0 + 1234.2])).toBe(T0 + 1235);
  });
});
