/**
 * A relayer submits an account's signed withdrawal to the vault's
 * `relayedClaim` and pays the gas, taking a fee in tokens of at most the
 * signed maximum. The wallet asks for the fee first (shown to the owner before
 * confirming), signs that fee as the maximum, then hands the signed
 * withdrawal over. Handing the same signed withdrawal over twice is safe: the
 * vault's nonce lets it pay once.
 */
import type { WithdrawalValue } from '../../network/payment/withdrawal.ts';

export interface RelayQuoteRequest {
  chainId: number;
  vault: string;
  account: string;
  cumulativeAmount: bigint;
}

export interface RelayQuote {
  /** Tokens the relayer takes from the claim. */
  fee: bigint;
  /** Who submits (and receives the fee). */
  relayer: string;
}

export interface RelayedClaimSubmission {
  chainId: number;
  vault: string;
  withdrawal: WithdrawalValue;
  /** The fee asked: at most `withdrawal.maxFee`. */
  fee: bigint;
  voucherSignature: string;
  withdrawalSignature: string;
}

export interface ClaimRelay {
  quote(request: RelayQuoteRequest): Promise<RelayQuote>;
  /** Submits and returns the relayer's transaction hash (the same hash again for the same withdrawal). */
  submit(claim: RelayedClaimSubmission): Promise<string>;
}
