import { describe, expect, it } from 'vitest';
import { coefficientOfVariation, compositeScore, percentile, summarizeRounds } from './benchmark-stats.ts';

describe('benchmark statistics', () => {
  it('interpolates percentiles between ranks', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 95)).toBeCloseTo(4.8);
    expect(percentile([7], 95)).toBe(7);
  });

  it('computes the sample coefficient of variation', () => {
    expect(coefficientOfVariation([10, 10, 10])).toBe(0);
    expect(coefficientOfVariation([9, 11])).toBeCloseTo(Math.SQRT2 / 10);
  });

  it('reports throughput over all runs when the rounds agree', () => {
    const summary = summarizeRounds([{ runMs: [10, 10] }, { runMs: [10, 11] }, { runMs: [10, 10] }], 2, 0.05);
    expect(summary.isStable).toBe(true);
    expect(summary.runs).toBe(6);
    expect(summary.throughput).toBeCloseTo((2 * 6 * 1000) / 61);
    expect(summary.p50Ms).toBe(10);
  });

  it('withholds the figure when the rounds disagree beyond the allowed CV', () => {
    const summary = summarizeRounds([{ runMs: [10] }, { runMs: [20] }, { runMs: [10] }], 1, 0.05);
    expect(summary.isStable).toBe(false);
    expect(summary.throughput).toBeNull();
    expect(summary.cv).toBeGreaterThan(0.3);
  });

  it('scores the geometric mean against the references, only with three stable workloads', () => {
    expect(
      compositeScore([
        { throughput: 200, reference: 100 },
        { throughput: 50, reference: 100 },
        { throughput: 100, reference: 100 },
      ]),
    ).toBeCloseTo(100);
    expect(
      compositeScore([
        { throughput: 200, reference: 100 },
        { throughput: null, reference: 100 },
        { throughput: 100, reference: 100 },
      ]),
    ).toBeNull();
  });
});
