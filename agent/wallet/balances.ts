/**
 * The wallet's balances as one consistent picture, computed by a pure
 * function from what was read on chain and from the newest voucher.
 * Amounts are token base units; null means "not known right now" (the chain
 * or the coordinator did not answer), never a guessed zero.
 */

export interface BalanceInputs {
  /** Payout tokens held by the wallet address, on chain. */
  walletTokens: bigint | null;
  /** Native coin for gas, on chain. */
  nativeGas: bigint | null;
  /** The newest voucher's cumulative amount (everything ever credited); null without a voucher. */
  voucherCumulative: bigint | null;
  /** The vault's claimed(account). */
  vaultClaimed: bigint | null;
  /** Cumulative amounts of this account's withdrawals that are signed or sent but not yet mined. */
  inFlightCumulatives: readonly bigint[];
  /** Results submitted to the coordinator and not verified yet. */
  pendingResults: number | null;
}

export interface WalletBalances {
  walletTokens: bigint | null;
  nativeGas: bigint | null;
  /** What a withdrawal started now would pay: the newest voucher minus what is paid or on its way. */
  claimable: bigint | null;
  /** Being withdrawn right now (signed or sent, not mined yet). */
  withdrawing: bigint | null;
  /** Everything ever credited (the newest voucher's cumulative amount). */
  lifetimeEarned: bigint | null;
  pendingResults: number | null;
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

export function walletBalances(input: BalanceInputs): WalletBalances {
  const lifetimeEarned = input.voucherCumulative ?? (input.vaultClaimed === null ? null : input.vaultClaimed);
  let claimable: bigint | null = null;
  let withdrawing: bigint | null = null;
  if (input.vaultClaimed !== null) {
    const inFlight = input.inFlightCumulatives.reduce(max, input.vaultClaimed);
    withdrawing = inFlight - input.vaultClaimed;
    claimable = input.voucherCumulative === null ? 0n : max(0n, input.voucherCumulative - inFlight);
  }
  return {
    walletTokens: input.walletTokens,
    nativeGas: input.nativeGas,
    claimable,
    withdrawing,
    lifetimeEarned,
    pendingResults: input.pendingResults,
  };
}

/** What a claim of a voucher pays now (the vault's rule): the cumulative amount minus what is claimed, or 0. */
export function claimAmount(voucherCumulative: bigint, vaultClaimed: bigint): bigint {
  return max(0n, voucherCumulative - vaultClaimed);
}
