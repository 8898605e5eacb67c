import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BalanceInputs, claimAmount, walletBalances } from './balances.ts';

const inputs = (over: Partial<BalanceInputs> = {}): BalanceInputs => ({
  walletTokens: 7n,
  nativeGas: 1n,
  voucherCumulative: 100n,
  vaultClaimed: 30n,
  inFlightCumulatives: [],
  pendingResults: 2,
  ...over,
});

describe('walletBalances', () => {
  it('claimable is the newest voucher minus what the vault paid', () => {
    expect(walletBalances(inputs())).toMatchObject({ claimable: 70n, withdrawing: 0n, lifetimeEarned: 100n });
  });

  it('a withdrawal on its way is withdrawing, not claimable', () => {
    expect(walletBalances(inputs({ inFlightCumulatives: [100n] }))).toMatchObject({ claimable: 0n, withdrawing: 70n });
  });

  it('an older voucher than what was paid claims nothing', () => {
    expect(walletBalances(inputs({ voucherCumulative: 20n })).claimable).toBe(0n);
  });

  it('unknown chain reads stay unknown instead of zero', () => {
    const balances = walletBalances(inputs({ vaultClaimed: null, walletTokens: null }));
    expect(balances.claimable).toBeNull();
    expect(balances.walletTokens).toBeNull();
    expect(balances.lifetimeEarned).toBe(100n);
  });

  it('claimable, withdrawing and paid add up to the newest voucher, and none is negative', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 30n }), { maxLength: 3 }),
        (voucher, claimed, inFlight) => {
          const b = walletBalances(
            inputs({ voucherCumulative: voucher, vaultClaimed: claimed, inFlightCumulatives: inFlight }),
          );
          const claimable = b.claimable as bigint;
          const withdrawing = b.withdrawing as bigint;
          expect(claimable >= 0n && withdrawing >= 0n).toBe(true);
          // Paid, on its way and claimable cover the voucher exactly (or more, when an older voucher is shown).
          const covered = claimed + withdrawing + claimable;
          expect(covered >= voucher).toBe(true);
          if (claimable > 0n) expect(covered).toBe(voucher);
          expect(claimable).toBeLessThanOrEqual(claimAmount(voucher, claimed));
        },
      ),
    );
  });
});

describe('claimAmount', () => {
  it('follows the vault: cumulative minus claimed, never below zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: 10n ** 30n }), (c, p) => {
        expect(claimAmount(c, p)).toBe(c > p ? c - p : 0n);
      }),
    );
  });
});
