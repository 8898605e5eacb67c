import { describe, expect, it } from 'vitest';
import { BatchSampler, learningRateAt } from './training-schedule.ts';

describe('learning rate schedules', () => {
  it('decays by a factor every N steps', () => {
    const schedule = { kind: 'step', initial: 1, factor: 0.5, everySteps: 10 } as const;
    expect([1, 10, 11, 21].map((step) => learningRateAt(schedule, step, 100))).toEqual([1, 1, 0.5, 0.25]);
  });

  it('warms up linearly, then follows a cosine down to the minimum at the last step', () => {
    const schedule = { kind: 'cosine', initial: 0.1, minimum: 0.01, warmupSteps: 10 } as const;
    expect(learningRateAt(schedule, 5, 110)).toBeCloseTo(0.05);
    expect(learningRateAt(schedule, 10, 110)).toBeCloseTo(0.1);
    expect(learningRateAt(schedule, 60, 110)).toBeCloseTo(0.055);
    expect(learningRateAt(schedule, 110, 110)).toBeCloseTo(0.01);
  });
});

describe('batch sampler', () => {
  it('is a pure function of (seed, step): a fresh sampler resumed at step k sees the same batches', () => {
    const uninterrupted = new BatchSampler(9, 50, 16);
    const all = Array.from({ length: 20 }, (_, i) => uninterrupted.rowsForStep(i + 1));
    const resumed = new BatchSampler(9, 50, 16);
    expect(Array.from({ length: 8 }, (_, i) => resumed.rowsForStep(i + 13))).toEqual(all.slice(12));
    expect(new BatchSampler(10, 50, 16).rowsForStep(1)).not.toEqual(all[0]);
  });

  it('sees every row exactly once per epoch, with batches straddling epochs', () => {
    const sampler = new BatchSampler(3, 10, 4);
    const stream = Array.from({ length: 5 }, (_, i) => sampler.rowsForStep(i + 1)).flat();
    expect([...stream.slice(0, 10)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...stream.slice(10, 20)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stream.slice(0, 10)).not.toEqual(stream.slice(10, 20));
  });
});
