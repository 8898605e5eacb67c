/**
 * The relayer's fee in tokens: the most the relayed claim's gas can cost
 * (gas limit x max fee per gas, in wei), converted at the operator's rate of
 * token base units per whole native coin (10^18 wei), rounded up so the
 * relayer never pays for a claim out of its own pocket.
 */
const WEI_PER_NATIVE_COIN = 10n ** 18n;

/** Gas a relayed claim uses at most (about 110k measured on anvil), with headroom; also the transaction's limit. */
export const RELAYED_CLAIM_GAS_LIMIT = 200_000n;

export function relayFeeTokens(gasLimit: bigint, maxFeePerGas: bigint, tokenUnitsPerNativeCoin: bigint): bigint {
  const weiTimesRate = gasLimit * maxFeePerGas * tokenUnitsPerNativeCoin;
  return (weiTimesRate + WEI_PER_NATIVE_COIN - 1n) / WEI_PER_NATIVE_COIN;
}
