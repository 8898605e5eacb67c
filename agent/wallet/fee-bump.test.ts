import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bigMin,
  feeCapPerGas,
  formatGwei,
  minimumReplacementFee,
  replacementFees,
  SPEED_UP_AFTER_BLOCKS,
  SPEED_UP_AFTER_MS,
  speedUpDue,
} from './fee-bump.ts';

const GWEI = 1_000_000_000n;
const tx = { maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: GWEI, signedAtMs: 0, signedAtBlock: 10 };

describe('speedUpDue', () => {
  it('is due at once when the base fee rose above what the transaction offers', () => {
    expect(speedUpDue(tx, { blockNumber: 10, baseFeePerGas: 5n * GWEI, nowMs: 0 }, false)).toEqual({
      due: true,
      why: 'underpriced',
    });
  });

  it('is due after enough blocks and enough time unmined, not after one alone', () => {
    const later = { baseFeePerGas: GWEI, nowMs: SPEED_UP_AFTER_MS };
    expect(speedUpDue(tx, { ...later, blockNumber: 10 + SPEED_UP_AFTER_BLOCKS }, false)).toEqual({
      due: true,
      why: 'waited',
    });
    expect(speedUpDue(tx, { ...later, blockNumber: 10 + SPEED_UP_AFTER_BLOCKS - 1 }, false).due).toBe(false);
    expect(speedUpDue(tx, { ...later, nowMs: 1_000, blockNumber: 100 }, false).due).toBe(false);
  });

  it('is never due from time alone: no blocks means a higher fee would not help', () => {
    expect(speedUpDue(tx, { blockNumber: 10, baseFeePerGas: GWEI, nowMs: 3_600_000 }, false).due).toBe(false);
  });

  it('is due whenever the owner asks', () => {
    expect(speedUpDue(tx, { blockNumber: 10, baseFeePerGas: 0n, nowMs: 0 }, true)).toEqual({ due: true, why: 'asked' });
  });
});

describe('replacementFees', () => {
  const current = { maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: GWEI };

  it('raises both fees by at least 12.5 %, and to the market when it asks more', () => {
    const quiet = replacementFees(current, { maxFeePerGas: GWEI, maxPriorityFeePerGas: 1n }, 100n * GWEI);
    expect(quiet).toEqual({
      kind: 'replace',
      fees: { maxFeePerGas: 3_375_000_000n, maxPriorityFeePerGas: 1_125_000_000n },
    });
    const busy = replacementFees(current, { maxFeePerGas: 20n * GWEI, maxPriorityFeePerGas: 2n * GWEI }, 100n * GWEI);
    expect(busy).toEqual({ kind: 'replace', fees: { maxFeePerGas: 20n * GWEI, maxPriorityFeePerGas: 2n * GWEI } });
  });

  it('stops at the cap, and says so when even the minimum raise would pass it', () => {
    const capped = replacementFees(current, { maxFeePerGas: 20n * GWEI, maxPriorityFeePerGas: GWEI }, 4n * GWEI);
    expect(capped).toEqual({
      kind: 'replace',
      fees: { maxFeePerGas: 4n * GWEI, maxPriorityFeePerGas: 1_125_000_000n },
    });
    expect(replacementFees(current, current, 3_300_000_000n)).toEqual({ kind: 'at-cap', capPerGas: 3_300_000_000n });
  });

  it('always replaces with at least +12.5 % on both fees, a tip within the max fee, and never past the cap', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        (fee, tipRaw, marketFee, marketTip, cap) => {
          const tip = bigMin(tipRaw, fee);
          const next = replacementFees(
            { maxFeePerGas: fee, maxPriorityFeePerGas: tip },
            { maxFeePerGas: marketFee, maxPriorityFeePerGas: marketTip },
            cap,
          );
          if (next.kind === 'at-cap') {
            expect(minimumReplacementFee(fee) > cap || minimumReplacementFee(tip) > cap).toBe(true);
            return;
          }
          expect(next.fees.maxFeePerGas * 8n >= fee * 9n).toBe(true);
          expect(next.fees.maxFeePerGas > fee).toBe(true);
          expect(next.fees.maxPriorityFeePerGas * 8n >= tip * 9n).toBe(true);
          expect(next.fees.maxPriorityFeePerGas > tip).toBe(true);
          expect(next.fees.maxPriorityFeePerGas <= next.fees.maxFeePerGas).toBe(true);
          expect(next.fees.maxFeePerGas <= cap).toBe(true);
        },
      ),
    );
  });
});

describe('the cap', () => {
  it("is the owner's setting in gwei, else four times the fee shown", () => {
    expect(feeCapPerGas(3n * GWEI, null)).toBe(12n * GWEI);
    expect(feeCapPerGas(3n * GWEI, 50)).toBe(50n * GWEI);
    expect(feeCapPerGas(3n * GWEI, 0.5)).toBe(GWEI / 2n);
    expect(formatGwei(3_375_000_000n)).toBe('3.375 gwei');
    expect(formatGwei(12n * GWEI)).toBe('12 gwei');
  });
});
