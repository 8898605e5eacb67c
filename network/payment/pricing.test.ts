import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICING_POLICY, maxRewardPerCopy, offerProblem, rewardForCopy } from './pricing.ts';

const gflopBasis = {
  offer: { unit: 'gflop' as const, maxPricePerUnit: '1000' },
  flopsPerRun: 5_000_000_000n,
  maxSeconds: 60,
  steps: 100,
};
const timeBasis = {
  offer: { unit: 'device-second' as const, maxPricePerUnit: '10' },
  flopsPerRun: null,
  maxSeconds: 60,
  steps: 100,
};

describe('pricing', () => {
  it('pays FLOP-priced work by its estimate, whatever time the provider reports', () => {
    expect(rewardForCopy(gflopBasis, 1, null)).toBe(5000n);
    expect(rewardForCopy(gflopBasis, 999_999, null)).toBe(5000n);
    expect(rewardForCopy(gflopBasis, 0, 10)).toBe(500n);
  });

  it('pays device time rounded down and capped by the job time limit', () => {
    expect(rewardForCopy(timeBasis, 1999, null)).toBe(19n);
    expect(rewardForCopy(timeBasis, 10_000_000, null)).toBe(600n);
    expect(maxRewardPerCopy(timeBasis)).toBe(600n);
  });

  it('refuses offers below the minimum with a sentence', () => {
    expect(offerProblem({ unit: 'gflop', maxPricePerUnit: '0' }, DEFAULT_PRICING_POLICY)).toContain('below');
    expect(offerProblem({ unit: 'gflop', maxPricePerUnit: '1' }, DEFAULT_PRICING_POLICY)).toBeNull();
  });

  it('never pays more than the most a copy can earn', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000_000),
        fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
        (deviceMs, segment) => {
          for (const basis of [gflopBasis, timeBasis]) {
            const reward = rewardForCopy(basis, deviceMs, segment);
            expect(reward >= 0n).toBe(true);
            expect(reward <= maxRewardPerCopy(basis, segment)).toBe(true);
          }
        },
      ),
    );
  });
});
