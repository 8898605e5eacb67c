/**
 * Withdrawals in the ledger (migrations 4 and 7). Every step is one SQLite
 * transaction: the signed raw transaction, its nonce and its hash land
 * together or not at all, and each update names the state it expects, so a
 * step can never apply twice or skip one. Every transaction signed for a
 * withdrawal (the first and each fee bump, all with the same nonce) is kept in
 * `withdrawal_transactions`, written in the same transaction that makes it the
 * withdrawal's current one, before it is broadcast. The unique index on unfinished
 * withdrawals makes a second concurrent withdrawal for the same account fail
 * at the database, not in a race.
 */
import { z } from 'zod';
import { IdlehiveError } from '../errors.ts';
import type { LedgerDatabase } from '../ledger/open-ledger.ts';
import {
  canMove,
  WITHDRAWAL_KINDS,
  WITHDRAWAL_STATES,
  type WithdrawalKind,
  type WithdrawalState,
} from './withdrawal-machine.ts';

/** What a relayed withdrawal needs to be submitted (again): the account's signed Withdrawal. */
export const RelayedWithdrawalSchema = z
  .object({
    recipient: z.string(),
    cumulativeAmount: z.string().regex(/^\d+$/),
    maxFee: z.string().regex(/^\d+$/),
    deadline: z.number().int().positive(),
    nonce: z.number().int().nonnegative(),
    withdrawalSignature: z.string().regex(/^0x[0-9a-fA-F]{130}$/),
  })
  .strict();
export type RelayedWithdrawal = z.infer<typeof RelayedWithdrawalSchema>;

const bigintText = z.string().regex(/^\d+$/).transform(BigInt);

const RowSchema = z.object({
  id: z.number().int(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
  chain_id: z.number().int(),
  vault: z.string(),
  account: z.string(),
  kind: z.enum(WITHDRAWAL_KINDS),
  recipient: z.string(),
  cumulative_amount: bigintText,
  voucher_signature: z.string(),
  amount: bigintText,
  max_fee: bigintText,
  state: z.enum(WITHDRAWAL_STATES),
  nonce: z.number().int().nullable(),
  raw_tx: z.string().nullable(),
  tx_hash: z.string().nullable(),
  relay_json: z.string().nullable(),
  sends: z.number().int(),
  block_number: z.number().int().nullable(),
  paid_amount: bigintText.nullable(),
  paid_fee: bigintText.nullable(),
  waiting_reason: z.string().nullable(),
  failure: z.string().nullable(),
  fee_cap_per_gas: bigintText.nullable(),
});

const TransactionRowSchema = z.object({
  attempt: z.number().int(),
  raw_tx: z.string(),
  tx_hash: z.string(),
  max_fee_per_gas: bigintText.nullable(),
  max_priority_fee_per_gas: bigintText.nullable(),
  signed_at: z.number().int(),
  signed_at_block: z.number().int().nullable(),
});

/** One signed transaction of a withdrawal: the first (attempt 1) or a fee bump. */
export interface WithdrawalTransaction {
  attempt: number;
  rawTx: string;
  txHash: string;
  /** Null only for a transaction recorded before fee bumps existed. */
  maxFeePerGas: bigint | null;
  maxPriorityFeePerGas: bigint | null;
  signedAt: number;
  signedAtBlock: number | null;
}

/** What is written when a claim transaction is signed (the first one, or a replacement with a higher fee). */
export interface SignedClaimTransaction {
  nonce: number;
  rawTx: string;
  txHash: string;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** The chain's latest block when it was signed. */
  signedAtBlock: number;
}

export interface WithdrawalRecord {
  id: number;
  createdAt: number;
  updatedAt: number;
  chainId: number;
  vault: string;
  account: string;
  kind: WithdrawalKind;
  recipient: string;
  cumulativeAmount: bigint;
  voucherSignature: string;
  /** What the claim pays in total when it lands (fee included for relayed). */
  amount: bigint;
  /** Relayed: the most the relayer may take, in tokens. Direct: 0. */
  maxFee: bigint;
  state: WithdrawalState;
  nonce: number | null;
  rawTx: string | null;
  txHash: string | null;
  relay: RelayedWithdrawal | null;
  /** How many times it was handed to the node or the relayer. */
  sends: number;
  blockNumber: number | null;
  paidAmount: bigint | null;
  paidFee: bigint | null;
  /** Why it is not moving right now (the chain is down, waiting for a block); null when it is. */
  waitingReason: string | null;
  failure: string | null;
  /** Direct claims: the highest max fee per gas a fee bump may reach; null for one started before fee bumps. */
  feeCapPerGas: bigint | null;
  /** Every transaction signed for it, oldest first; the last is the current one until one is mined. */
  transactions: WithdrawalTransaction[];
}

function fromRow(raw: unknown, transactions: WithdrawalTransaction[]): WithdrawalRecord {
  const row = RowSchema.parse(raw);
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    chainId: row.chain_id,
    vault: row.vault,
    account: row.account,
    kind: row.kind,
    recipient: row.recipient,
    cumulativeAmount: row.cumulative_amount,
    voucherSignature: row.voucher_signature,
    amount: row.amount,
    maxFee: row.max_fee,
    state: row.state,
    nonce: row.nonce,
    rawTx: row.raw_tx,
    txHash: row.tx_hash,
    relay: row.relay_json === null ? null : RelayedWithdrawalSchema.parse(JSON.parse(row.relay_json)),
    sends: row.sends,
    blockNumber: row.block_number,
    paidAmount: row.paid_amount,
    paidFee: row.paid_fee,
    waitingReason: row.waiting_reason,
    failure: row.failure,
    feeCapPerGas: row.fee_cap_per_gas,
    transactions,
  };
}

function transactionFromRow(raw: unknown): WithdrawalTransaction {
  const row = TransactionRowSchema.parse(raw);
  return {
    attempt: row.attempt,
    rawTx: row.raw_tx,
    txHash: row.tx_hash,
    maxFeePerGas: row.max_fee_per_gas,
    maxPriorityFeePerGas: row.max_priority_fee_per_gas,
    signedAt: row.signed_at,
    signedAtBlock: row.signed_at_block,
  };
}

export interface WithdrawalIntent {
  chainId: number;
  vault: string;
  account: string;
  kind: WithdrawalKind;
  recipient: string;
  cumulativeAmount: bigint;
  voucherSignature: string;
  amount: bigint;
  maxFee: bigint;
  /** Direct claims: the highest max fee per gas a fee bump may reach. */
  feeCapPerGas?: bigint | null;
}

export class WithdrawalRepository {
  private readonly db: LedgerDatabase;
  private readonly now: () => number;

  constructor(db: LedgerDatabase, now: () => number = Date.now) {
    this.db = db;
    this.now = now;
  }

  /** Writes the intent before anything is signed. Refuses a second unfinished withdrawal for the account. */
  insertIntent(intent: WithdrawalIntent): WithdrawalRecord {
    const at = this.now();
    try {
      const info = this.db
        .prepare(
          `INSERT INTO withdrawals (created_at, updated_at, chain_id, vault, account, kind, recipient,
             cumulative_amount, voucher_signature, amount, max_fee, fee_cap_per_gas, state)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'prepared')`,
        )
        .run(
          at,
          at,
          intent.chainId,
          intent.vault,
          intent.account,
          intent.kind,
          intent.recipient,
          intent.cumulativeAmount.toString(),
          intent.voucherSignature,
          intent.amount.toString(),
          intent.maxFee.toString(),
          intent.feeCapPerGas?.toString() ?? null,
        );
      return this.require(Number(info.lastInsertRowid));
    } catch (error) {
      if (error instanceof Error && /UNIQUE constraint failed/.test(error.message)) {
        throw new IdlehiveError(
          'withdrawal_in_progress',
          'A withdrawal for this wallet is already under way; it finishes before another can start.',
        );
      }
      throw error;
    }
  }

  get(id: number): WithdrawalRecord | null {
    const row = this.db.prepare('SELECT * FROM withdrawals WHERE id = ?').get(id);
    return row === undefined ? null : this.withTransactions(row);
  }

  private withTransactions(row: unknown): WithdrawalRecord {
    const id = z.object({ id: z.number().int() }).parse(row).id;
    const transactions = this.db
      .prepare('SELECT * FROM withdrawal_transactions WHERE withdrawal_id = ? ORDER BY attempt')
      .all(id)
      .map(transactionFromRow);
    return fromRow(row, transactions);
  }

  require(id: number): WithdrawalRecord {
    const record = this.get(id);
    if (!record) throw new IdlehiveError('withdrawal_missing', `There is no withdrawal ${id}.`);
    return record;
  }

  unfinished(): WithdrawalRecord[] {
    return this.db
      .prepare(`SELECT * FROM withdrawals WHERE state IN ('prepared', 'signed', 'sent') ORDER BY id`)
      .all()
      .map((row) => this.withTransactions(row));
  }

  list(limit = 50): WithdrawalRecord[] {
    return this.db
      .prepare('SELECT * FROM withdrawals ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map((row) => this.withTransactions(row));
  }

  /** The highest transaction nonce this ledger ever signed for the account on the chain (direct claims only). */
  highestSignedNonce(chainId: number, account: string): number | null {
    const row = this.db
      .prepare(
        `SELECT MAX(nonce) AS nonce FROM withdrawals WHERE chain_id = ? AND account = ? AND kind != 'relayed' AND raw_tx IS NOT NULL`,
      )
      .get(chainId, account) as { nonce: number | null };
    return row.nonce;
  }

  /** The signed transaction, its nonce and hash, and its first history row, in one transaction, before it is broadcast. */
  recordSignedTransaction(id: number, signed: SignedClaimTransaction): void {
    this.db.transaction(() => {
      this.move(id, 'signed', 'nonce = ?, raw_tx = ?, tx_hash = ?', [signed.nonce, signed.rawTx, signed.txHash]);
      this.insertTransaction(id, 1, signed);
    })();
  }

  /**
   * A fee bump: the replacement (same nonce, higher fee) becomes the current
   * transaction and joins the history, in one transaction, before it is
   * broadcast. Only from `sent` and only over `previousTxHash`, so two
   * processes bumping at once record one replacement, and the other's is never sent.
   */
  recordReplacement(id: number, previousTxHash: string, replacement: SignedClaimTransaction): void {
    this.db.transaction(() => {
      const info = this.db
        .prepare(
          `UPDATE withdrawals SET raw_tx = ?, tx_hash = ?, updated_at = ?, waiting_reason = NULL
           WHERE id = ? AND state = 'sent' AND kind != 'relayed' AND tx_hash = ? AND nonce = ?`,
        )
        .run(replacement.rawTx, replacement.txHash, this.now(), id, previousTxHash, replacement.nonce);
      if (info.changes !== 1) {
        throw new IdlehiveError(
          'withdrawal_conflict',
          `Withdrawal ${id} was mined, finished or sped up by another Idlehive process meanwhile; this replacement was not sent.`,
        );
      }
      const { attempt } = this.db
        .prepare('SELECT MAX(attempt) AS attempt FROM withdrawal_transactions WHERE withdrawal_id = ?')
        .get(id) as { attempt: number | null };
      this.insertTransaction(id, (attempt ?? 0) + 1, replacement);
    })();
  }

  private insertTransaction(id: number, attempt: number, signed: SignedClaimTransaction): void {
    this.db
      .prepare(
        `INSERT INTO withdrawal_transactions (withdrawal_id, attempt, raw_tx, tx_hash, max_fee_per_gas,
           max_priority_fee_per_gas, signed_at, signed_at_block) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        attempt,
        signed.rawTx,
        signed.txHash,
        signed.maxFeePerGas.toString(),
        signed.maxPriorityFeePerGas.toString(),
        this.now(),
        signed.signedAtBlock,
      );
  }

  /** The account's signed Withdrawal for a relayer, before it is handed over. */
  recordSignedRelay(id: number, relay: RelayedWithdrawal): void {
    this.move(id, 'signed', 'nonce = ?, relay_json = ?', [
      relay.nonce,
      JSON.stringify(RelayedWithdrawalSchema.parse(relay)),
    ]);
  }

  /** The node (or the relayer) took it; a relayer names the transaction it sent. */
  recordSent(id: number, relayTxHash?: string): void {
    if (relayTxHash !== undefined) {
      this.move(id, 'sent', 'sends = sends + 1, tx_hash = ?, waiting_reason = NULL', [relayTxHash]);
    } else {
      this.move(id, 'sent', 'sends = sends + 1, waiting_reason = NULL', []);
    }
  }

  /** Mined. `minedTxHash`: which of its transactions was (an earlier one may land after a fee bump was recorded). */
  recordConfirmed(
    id: number,
    outcome: { blockNumber: number | null; paidAmount: bigint | null; paidFee: bigint | null; minedTxHash?: string },
  ): void {
    const mined =
      outcome.minedTxHash === undefined
        ? undefined
        : this.require(id).transactions.find((tx) => tx.txHash === outcome.minedTxHash);
    const carrier = mined ? ', raw_tx = ?, tx_hash = ?' : '';
    this.move(id, 'confirmed', `block_number = ?, paid_amount = ?, paid_fee = ?, waiting_reason = NULL${carrier}`, [
      outcome.blockNumber,
      outcome.paidAmount?.toString() ?? null,
      outcome.paidFee?.toString() ?? null,
      ...(mined ? [mined.rawTx, mined.txHash] : []),
    ]);
  }

  /**
   * The relayer's hash and what it paid, for a relayed withdrawal another
   * process confirmed from the vault's nonce while the relayer was still
   * answering this one: not a state change, and only where no hash is known.
   */
  recordRelayerTransaction(
    id: number,
    outcome: { txHash: string; blockNumber: number | null; paidAmount: bigint | null; paidFee: bigint | null },
  ): boolean {
    const info = this.db
      .prepare(
        `UPDATE withdrawals SET tx_hash = ?, block_number = COALESCE(block_number, ?),
           paid_amount = COALESCE(paid_amount, ?), paid_fee = COALESCE(paid_fee, ?), updated_at = ?
         WHERE id = ? AND kind = 'relayed' AND state = 'confirmed' AND tx_hash IS NULL`,
      )
      .run(
        outcome.txHash,
        outcome.blockNumber,
        outcome.paidAmount?.toString() ?? null,
        outcome.paidFee?.toString() ?? null,
        this.now(),
        id,
      );
    return info.changes === 1;
  }

  recordFailed(id: number, reason: string): void {
    this.move(id, 'failed', 'failure = ?, waiting_reason = NULL', [reason]);
  }

  /** Not a state change: why it is not moving right now. */
  recordWaiting(id: number, reason: string | null): void {
    this.db
      .prepare('UPDATE withdrawals SET waiting_reason = ?, updated_at = ? WHERE id = ?')
      .run(reason, this.now(), id);
  }

  private move(id: number, to: WithdrawalState, assignments: string, values: unknown[]): void {
    const current = this.require(id);
    if (!canMove(current.state, to)) {
      throw new IdlehiveError(
        'withdrawal_conflict',
        `Withdrawal ${id} is ${current.state} and cannot become ${to}; another Idlehive process may be handling it.`,
      );
    }
    const info = this.db
      .prepare(`UPDATE withdrawals SET state = ?, updated_at = ?, ${assignments} WHERE id = ? AND state = ?`)
      .run(to, this.now(), ...values, id, current.state);
    if (info.changes !== 1) {
      throw new IdlehiveError(
        'withdrawal_conflict',
        `Withdrawal ${id} changed while it was being updated; nothing was sent twice.`,
      );
    }
  }
}
