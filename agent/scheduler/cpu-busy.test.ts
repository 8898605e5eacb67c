import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CPU_BUSY_SUSTAIN_MS,
  CPU_SAMPLE_MAX_GAP_MS,
  cpuBusyFlipAt,
  INITIAL_CPU_BUSY_MEMORY,
  updateCpuBusy,
} from './cpu-busy.ts';
import type { CpuSample } from './signals.ts';
import { SECOND, T0 } from './test-fixtures.ts';

/** One sample a second from `from`, with these percentages. */
function samples(from: number, percents: readonly number[], everyMs = SECOND): CpuSample[] {
  return percents.map((otherProgramsPercent, index) => ({ at: from + index * everyMs, otherProgramsPercent }));
}

describe('updateCpuBusy', () => {
  it('turns busy after 20 s above the threshold, not before', () => {
    const nineteen = updateCpuBusy(INITIAL_CPU_BUSY_MEMORY, samples(T0, Array(20).fill(80)), 50);
    expect(nineteen.isBusy).toBe(false);
    expect(cpuBusyFlipAt(nineteen)).toBe(T0 + CPU_BUSY_SUSTAIN_MS);
    const twenty = updateCpuBusy(nineteen, [{ at: T0 + 20 * SECOND, otherProgramsPercent: 80 }], 50);
    expect(twenty.isBusy).toBe(true);
  });

  it('counts exactly the threshold as not above it', () => {
    expect(updateCpuBusy(INITIAL_CPU_BUSY_MEMORY, samples(T0, Array(30).fill(50)), 50).isBusy).toBe(false);
  });

  it('ends busy only after 20 s below it', () => {
    const busy = updateCpuBusy(INITIAL_CPU_BUSY_MEMORY, samples(T0, Array(21).fill(90)), 50);
    const later = T0 + 21 * SECOND;
    const stillBusy = updateCpuBusy(busy, samples(later, Array(20).fill(10)), 50);
    expect(stillBusy.isBusy).toBe(true);
    expect(cpuBusyFlipAt(stillBusy)).toBe(later + CPU_BUSY_SUSTAIN_MS);
    expect(updateCpuBusy(stillBusy, [{ at: later + 20 * SECOND, otherProgramsPercent: 10 }], 50).isBusy).toBe(false);
  });

  it('skips samples it has already seen, so a rolling window can be passed every time', () => {
    const window = samples(T0, Array(15).fill(90));
    const once = updateCpuBusy(INITIAL_CPU_BUSY_MEMORY, window, 50);
    expect(updateCpuBusy(once, window, 50)).toEqual(once);
  });

  it('sorts samples that arrive out of order', () => {
    const ordered = samples(T0, Array(21).fill(90));
    expect(updateCpuBusy(INITIAL_CPU_BUSY_MEMORY, [...ordered].reverse(), 50).isBusy).toBe(true);
  });

  it('does not bridge a gap in sampling', () => {
    const before = updateCpuBusy(INITIAL_CPU_BUSY_MEMORY, samples(T0, Array(10).fill(90)), 50);
    const after = updateCpuBusy(before, samples(T0 + 9 * SECOND + CPU_SAMPLE_MAX_GAP_MS + 1, Array(15).fill(90)), 50);
    expect(after.isBusy).toBe(false);
  });

  it('turns off and forgets with no threshold, and starts over when it changes', () => {
    const busy = updateCpuBusy(INITIAL_CPU_BUSY_MEMORY, samples(T0, Array(21).fill(90)), 50);
    expect(updateCpuBusy(busy, [], null)).toEqual(INITIAL_CPU_BUSY_MEMORY);
    expect(updateCpuBusy(busy, [], 95).isBusy).toBe(false);
  });

  it('never changes its verdict while the load keeps crossing the threshold within 20 s', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(
          fc.record({ isAbove: fc.boolean(), runMs: fc.integer({ min: 0, max: CPU_BUSY_SUSTAIN_MS - SECOND }) }),
          {
            maxLength: 40,
          },
        ),
        fc.integer({ min: 1, max: 99 }),
        (startsBusy, runs, threshold) => {
          let memory = startsBusy
            ? updateCpuBusy(INITIAL_CPU_BUSY_MEMORY, samples(T0 - 40 * SECOND, Array(21).fill(100)), threshold)
            : INITIAL_CPU_BUSY_MEMORY;
          expect(memory.isBusy).toBe(startsBusy);
          let at = T0;
          // Alternate sides so each run is a real crossing; one sample a second inside a run.
          let isAbove = !startsBusy;
          for (const run of runs) {
            const count = Math.floor(run.runMs / SECOND) + 1;
            const percent = isAbove ? Math.min(100, threshold + 1 + (run.isAbove ? 20 : 0)) : threshold;
            memory = updateCpuBusy(memory, samples(at, Array(count).fill(percent)), threshold);
            expect(memory.isBusy).toBe(startsBusy);
            at += count * SECOND;
            isAbove = !isAbove;
          }
        },
      ),
    );
  });
});
