import { describe, expect, it } from 'vitest';
import { INPUT_RETURN_TOLERANCE_MS, updateIdleLatch } from './idle-latch.ts';
import { MINUTE, SECOND, T0 } from './test-fixtures.ts';

const FIVE_MIN = 5 * MINUTE;

describe('updateIdleLatch', () => {
  it('stays unlatched below the threshold', () => {
    expect(updateIdleLatch(null, 299, FIVE_MIN, T0)).toBeNull();
  });

  it('latches at the threshold, remembering when input last happened', () => {
    expect(updateIdleLatch(null, 300, FIVE_MIN, T0)).toEqual({ lastInputAt: T0 - FIVE_MIN, thresholdMs: FIVE_MIN });
  });

  it('never takes an unknown idle time for idleness, and forgets the latch', () => {
    expect(updateIdleLatch(null, null, FIVE_MIN, T0)).toBeNull();
    const latch = updateIdleLatch(null, 600, FIVE_MIN, T0);
    expect(updateIdleLatch(latch, null, FIVE_MIN, T0 + SECOND)).toBeNull();
  });

  it('keeps the latch when a later reading dips below the threshold without new input (resolution jitter)', () => {
    const latch = updateIdleLatch(null, 300, FIVE_MIN, T0);
    expect(updateIdleLatch(latch, 299, FIVE_MIN, T0 + 250)).toBe(latch);
    expect(updateIdleLatch(latch, 298, FIVE_MIN, T0 + 2_000)).toBe(latch);
  });

  it('ends the latch on fresh input, the first sample after it', () => {
    const latch = updateIdleLatch(null, 600, FIVE_MIN, T0);
    expect(updateIdleLatch(latch, 0, FIVE_MIN, T0 + 250)).toBeNull();
  });

  it('treats a last-input time moved by more than the tolerance as new input', () => {
    const latch = updateIdleLatch(null, 600, FIVE_MIN, T0);
    const step = INPUT_RETURN_TOLERANCE_MS + 1;
    expect(updateIdleLatch(latch, 600, FIVE_MIN, T0 + step)).toEqual({
      lastInputAt: T0 + step - 600 * SECOND,
      thresholdMs: FIVE_MIN,
    });
  });

  it('starts over when the threshold changes', () => {
    const latch = updateIdleLatch(null, 360, FIVE_MIN, T0);
    expect(updateIdleLatch(latch, 361, 10 * MINUTE, T0 + SECOND)).toBeNull();
    expect(updateIdleLatch(latch, 361, 2 * MINUTE, T0 + SECOND)).toEqual({
      lastInputAt: T0 + SECOND - 361 * SECOND,
      thresholdMs: 2 * MINUTE,
    });
  });
});
