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
import type { WalletRecord } from './wallet-files.ts';
import { WITHDRAWAL_KINDS, WITHDRAWAL_STATES } from './withdrawal-machine.ts';
import type { WithdrawalRecord } from './withdrawal-repository.ts';

const amount = z.string().regex(/^\d+$/);

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
  };
}

/**
 * Whether the agent can sign without asking: `ready` when the key is in a
 * readable keychain, `locked` when only the password-encrypted keystore (or
 * only a payout address) is here, `missing` without a wallet.
 */
export function walletReadiness(
  record: WalletRecord | null,
  keychain: Keychain,
): z.infer<typeof WalletReadinessSchema> {
  if (!record) return 'missing';
  if (record.mode === 'keystore' && record.keychain && keychain.read(record.address) !== null) return 'ready';
  return 'locked';
}
