/**
 * Speeding up a stuck withdrawal, as pure functions: when a transaction that
 * waits unmined is due a fee bump, and the fees of its replacement (the same
 * nonce, so at most one of them is ever mined).
 *
 * The policy: a direct claim is re-signed with a higher fee
 *  - at once when the chain's base fee rose above what it offers (it cannot be
 *    included while that lasts; nodes drop such transactions or refuse them);
 *  - after it waited SPEED_UP_AFTER_BLOCKS blocks and SPEED_UP_AFTER_MS
 *    (blocks are mined, but not ours: the tip is too low for the traffic);
 *  - or when the owner asks (`wallet.withdraw.speedUp`, `idlehive withdraw --speed-up`).
 * No blocks at all (a stalled chain, anvil with automine off) is never a
 * reason by itself: a higher fee does not make a chain produce blocks.
 *
 * Each replacement raises both maxFeePerGas and maxPriorityFeePerGas by at
 * least 12.5 % (geth and most nodes refuse a replacement under +10 %), and to
 * at least what the chain asks for now, but never past the withdrawal's cap.
 */
import type { Fees } from './vault-chain.ts';

export const SPEED_UP_AFTER_BLOCKS = 3;
export const SPEED_UP_AFTER_MS = 30_000;
/** The cap when the owner set none: this many times the max fee per gas shown when the withdrawal was confirmed. */
export const DEFAULT_FEE_CAP_MULTIPLIER = 4n;

/** +12.5 %, rounded up, and at least 1 wei. */
export function minimumReplacementFee(fee: bigint): bigint {
  return fee + (fee + 7n) / 8n + (fee === 0n ? 1n : 0n);
}

export interface StuckTransaction {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  signedAtMs: number;
  /** The chain's latest block when it was signed; null when not known (recorded before fee bumps existed). */
  signedAtBlock: number | null;
}

export interface ChainNow {
  blockNumber: number;
  baseFeePerGas: bigint;
  nowMs: number;
}

export type SpeedUpDue = { due: true; why: 'underpriced' | 'waited' | 'asked' } | { due: false };

export function speedUpDue(tx: StuckTransaction, chain: ChainNow, asked: boolean): SpeedUpDue {
  if (asked) return { due: true, why: 'asked' };
  if (chain.baseFeePerGas > tx.maxFeePerGas) return { due: true, why: 'underpriced' };
  if (
    tx.signedAtBlock !== null &&
    chain.blockNumber - tx.signedAtBlock >= SPEED_UP_AFTER_BLOCKS &&
    chain.nowMs - tx.signedAtMs >= SPEED_UP_AFTER_MS
  ) {
    return { due: true, why: 'waited' };
  }
  return { due: false };
}

export type ReplacementFees = { kind: 'replace'; fees: Fees } | { kind: 'at-cap'; capPerGas: bigint };

/**
 * The replacement's fees: at least +12.5 % on both, and at least what the
 * chain asks now (`market`), capped by `capPerGas`. At the cap when even the
 * minimum raise would pass it.
 */
export function replacementFees(current: Fees, market: Fees, capPerGas: bigint): ReplacementFees {
  const minFee = minimumReplacementFee(current.maxFeePerGas);
  const minTip = minimumReplacementFee(current.maxPriorityFeePerGas);
  if (minFee > capPerGas || minTip > capPerGas) return { kind: 'at-cap', capPerGas };
  const tip = bigMax(minTip, market.maxPriorityFeePerGas);
  const maxFee = bigMin(bigMax(minFee, market.maxFeePerGas, tip), capPerGas);
  return { kind: 'replace', fees: { maxFeePerGas: maxFee, maxPriorityFeePerGas: bigMin(tip, maxFee) } };
}

/** The cap per gas of a new withdrawal: the owner's setting (gwei), else a multiple of the fee shown now. */
export function feeCapPerGas(maxFeePerGasNow: bigint, configuredGwei: number | null): bigint {
  if (configuredGwei === null) return maxFeePerGasNow * DEFAULT_FEE_CAP_MULTIPLIER;
  // Gwei with up to 9 decimals is exact in wei; more digits than that are below one wei.
  return BigInt(Math.round(configuredGwei * 1e9));
}

export function bigMax(...values: bigint[]): bigint {
  // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints.
  return values.reduce((a, b) => (b > a ? b : a));
}

export function bigMin(...values: bigint[]): bigint {
  // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigints.
  return values.reduce((a, b) => (b < a ? b : a));
}

export function formatGwei(wei: bigint): string {
  const whole = wei / 1_000_000_000n;
  const fraction = (wei % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return fraction === '' ? `${whole} gwei` : `${whole}.${fraction.slice(0, 3)} gwei`;
}
