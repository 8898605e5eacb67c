import { describe, expect, it } from 'vitest';
import { relayFeeTokens } from './relay-fee.ts';

describe('relayFeeTokens', () => {
  it('converts the gas cost at the rate, rounding up', () => {
    // 200k gas at 3 gwei = 0.0006 coin; at 1000 tokens (18 decimals) per coin that is 0.6 tokens.
    expect(relayFeeTokens(200_000n, 3_000_000_000n, 1000n * 10n ** 18n)).toBe(6n * 10n ** 17n);
    expect(relayFeeTokens(1n, 1n, 1n)).toBe(1n);
    expect(relayFeeTokens(0n, 5n, 7n)).toBe(0n);
  });
});
