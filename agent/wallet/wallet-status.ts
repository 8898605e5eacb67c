/**
 * What the local API says about the wallet: the address and how its key is
 * kept, whether it can sign, and each withdrawal's progress with its
 * transaction hash. Declared here and imported by the local API contract.
 * By construction nothing secret is in it: no key, mnemonic, password, or
 * signed bytes (the raw transaction and signatures stay in the ledger).
 */
import { z } from 'zod';
import { WalletReadinessSchema } from '../scheduler/signals.ts';
import type { Keychain } from './keychain.ts';
import type { BalanceReport } from './wallet-chain-session.ts';
import type { WalletRecord } from './wallet-files.ts';
import { WITHDRAWAL_KINDS, WITHDRAWAL_STATES } from './withdrawal-machine.ts';
import type { WithdrawalRecord } from './withdrawal-repository.ts';
import type { WithdrawalPlan } from './withdrawal-service.ts';

const amount = z.string().regex(/^\d+$/);

/** One transaction broadcast for a withdrawal: the first, or a replacement with a higher fee (same nonce). */
export const WithdrawalTransactionViewSchema = z.object({
  txHash: z.string(),
  /** wei per gas; null for one recorded before fee bumps existed. */
  maxFeePerGas: amount.nullable(),
  maxPriorityFeePerGas: amount.nullable(),
  signedAt: z.number().int(),
  /** `mined` carried the claim; `replaced` was superseded by a higher fee; `pending` is the one in flight; `not-mined` lost to another. */
  outcome: z.enum(['pending', 'replaced', 'mined', 'not-mined']),
});
export type WithdrawalTransactionView = z.infer<typeof WithdrawalTransactionViewSchema>;

export const WithdrawalProgressSchema = z.object({
  id: z.number().int(),
  state: z.enum(WITHDRAWAL_STATES),
  kind: z.enum(WITHDRAWAL_KINDS),
  account: z.string(),
  recipient: z.string(),
  /** What the claim pays in total, fee included (token base units). */
  amount,
  /** Relayed claims: the relayer's fee in tokens, as stated before signing. */
  relayFee: amount.nullable(),
  txHash: z.string().nullable(),
  nonce: z.number().int().nullable(),
  sends: z.number().int(),
  blockNumber: z.number().int().nullable(),
  paidAmount: amount.nullable(),
  paidFee: amount.nullable(),
  /** Why it is not moving right now (chain down, waiting for a block). */
  waitingReason: z.string().nullable(),
  failure: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  // Both optional only for clients of an agent from before fee bumps; this agent always sends them.
  /** How many times it was replaced with a higher fee (direct claims). */
  speedUps: z.number().int().nonnegative().optional(),
  /** Every transaction broadcast for it, oldest first (empty for a relayed claim). */
  transactions: z.array(WithdrawalTransactionViewSchema).optional(),
});
export type WithdrawalProgress = z.infer<typeof WithdrawalProgressSchema>;

export const WalletStatusSchema = z.object({
  wallet: z
    .object({
      address: z.string(),
      mode: z.enum(['keystore', 'watch-only']),
      keychain: z.boolean(),
    })
    .nullable(),
  readiness: WalletReadinessSchema,
  /** Newest first. */
  withdrawals: z.array(WithdrawalProgressSchema),
});
export type WalletStatus = z.infer<typeof WalletStatusSchema>;

/** What a withdrawal started now would do, shown to the owner before confirming. */
export const WithdrawalPlanViewSchema = z.object({
  kind: z.enum(WITHDRAWAL_KINDS),
  recipient: z.string(),
  /** What the vault pays, fee included. */
  amount,
  /** Direct claims: the most the gas can cost, in the chain's native coin. */
  maxGasCost: amount.nullable(),
  /** Direct claims: the most the gas can cost if it waits and is sped up to the fee cap (absent from an older agent). */
  maxGasCostWithSpeedUps: amount.nullable().optional(),
  /** Relayed claims: the relayer's fee in tokens, signed as the maximum. */
  relayFee: amount.nullable(),
  /** What reaches the recipient. */
  received: amount,
  warnings: z.array(z.string()),
});
export type WithdrawalPlanView = z.infer<typeof WithdrawalPlanViewSchema>;

export const SpeedUpRequestSchema = z
  .object({
    /** The withdrawal to speed up; the wallet's unfinished one when absent. */
    id: z.number().int().positive().optional(),
  })
  .strict();

export const WithdrawRequestSchema = z
  .object({
    /** A checksummed address to forward to; the wallet itself when absent. */
    to: z.string().optional(),
    /** The fee the owner confirmed (gas in native coin, or the relayer's fee in tokens); a higher one is refused. */
    maxFee: amount,
  })
  .strict();

/** Which of a withdrawal's transactions did what; hashes and fees only, never the signed bytes. */
function transactionViews(record: WithdrawalRecord): WithdrawalTransactionView[] {
  const newest = record.transactions.at(-1)?.txHash;
  return record.transactions.map((tx) => ({
    txHash: tx.txHash,
    maxFeePerGas: tx.maxFeePerGas?.toString() ?? null,
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas?.toString() ?? null,
    signedAt: tx.signedAt,
    outcome:
      record.state === 'confirmed'
        ? tx.txHash === record.txHash
          ? 'mined'
          : 'not-mined'
        : record.state === 'failed'
          ? 'not-mined'
          : tx.txHash === newest
            ? 'pending'
            : 'replaced',
  }));
}

export function withdrawalProgress(record: WithdrawalRecord): WithdrawalProgress {
  return {
    id: record.id,
    state: record.state,
    kind: record.kind,
    account: record.account,
    recipient: record.recipient,
    amount: record.amount.toString(),
    relayFee: record.kind === 'relayed' ? record.maxFee.toString() : null,
    txHash: record.txHash,
    nonce: record.nonce,
    sends: record.sends,
    blockNumber: record.blockNumber,
    paidAmount: record.paidAmount?.toString() ?? null,
    paidFee: record.paidFee?.toString() ?? null,
    waitingReason: record.waitingReason,
    failure: record.failure,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    speedUps: Math.max(0, record.transactions.length - 1),
    transactions: transactionViews(record),
  };
}

/**
 * Whether the agent can sign without asking: `ready` when the key is in a
 * readable keychain, `locked` when only the password-encrypted keystore is
 * here, `missing` without a key (no wallet, or only a payout address).
 */
export function walletReadiness(
  record: WalletRecord | null,
  keychain: Keychain,
): z.infer<typeof WalletReadinessSchema> {
  // A payout address alone cannot sign in to the network: as the provider loop sees it, no wallet yet.
  if (!record || record.mode === 'watch-only') return 'missing';
  if (record.mode === 'keystore' && record.keychain && keychain.read(record.address) !== null) return 'ready';
  return 'locked';
}

export function withdrawalPlanView(plan: WithdrawalPlan): WithdrawalPlanView {
  return {
    kind: plan.kind,
    recipient: plan.recipient,
    amount: plan.amount.toString(),
    maxGasCost: plan.maxGasCost?.toString() ?? null,
    maxGasCostWithSpeedUps: plan.maxGasCostWithSpeedUps?.toString() ?? null,
    relayFee: plan.relayFee?.toString() ?? null,
    received: plan.received.toString(),
    warnings: plan.warnings,
  };
}

/** The balances at a glance; null is "not known right now", never a guessed zero. */
export const BalanceViewSchema = z.object({
  address: z.string(),
  token: z.string().nullable(),
  walletTokens: amount.nullable(),
  claimable: amount.nullable(),
  withdrawing: amount.nullable(),
  lifetimeEarned: amount.nullable(),
  pendingResults: z.number().int().nullable(),
  nativeGas: amount.nullable(),
  /** Why some figures are unknown (the chain did not answer). */
  unavailable: z.string().nullable(),
});
export type BalanceView = z.infer<typeof BalanceViewSchema>;

export function balanceView(report: BalanceReport): BalanceView {
  const text = (value: bigint | null) => (value === null ? null : value.toString());
  return {
    address: report.address,
    token: report.token,
    walletTokens: text(report.walletTokens),
    claimable: text(report.claimable),
    withdrawing: text(report.withdrawing),
    lifetimeEarned: text(report.lifetimeEarned),
    pendingResults: report.pendingResults,
    nativeGas: text(report.nativeGas),
    unavailable: report.unavailable,
  };
}
