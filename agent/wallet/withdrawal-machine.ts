/**
 * The withdrawal state machine, as pure functions. A withdrawal is written as
 * an intent (`prepared`) before anything is signed; its signed transaction,
 * nonce and hash are written (`signed`) before it is broadcast; a broadcast the
 * node accepted is `sent`. `confirmed` and `failed` are final.
 *
 * `reconcile` decides what to do with an unfinished withdrawal from what the
 * chain says now. It is the only place that decides, so a restart after a
 * crash at any point takes the same path as a healthy run: it never signs a
 * second withdrawal for one that already has a transaction, and it re-sends
 * the stored raw transaction (same nonce, same hash) when the node forgot it.
 * A direct claim may carry several transactions with the same nonce (fee
 * bumps, fee-bump.ts): the chain is asked about all of them, whichever was
 * mined decides, and the newest is the one (re-)sent.
 */

export const WITHDRAWAL_STATES = ['prepared', 'signed', 'sent', 'confirmed', 'failed'] as const;
export type WithdrawalState = (typeof WITHDRAWAL_STATES)[number];

export const WITHDRAWAL_KINDS = ['claim', 'claim-to', 'relayed'] as const;
/** `claim`: paid to the account; `claim-to`: paid to another address; `relayed`: submitted by a relayer for a fee in tokens. */
export type WithdrawalKind = (typeof WITHDRAWAL_KINDS)[number];

export const FINAL_STATES: readonly WithdrawalState[] = ['confirmed', 'failed'];

export function isFinal(state: WithdrawalState): boolean {
  return FINAL_STATES.includes(state);
}

const ALLOWED: Readonly<Record<WithdrawalState, readonly WithdrawalState[]>> = {
  prepared: ['signed', 'failed'],
  signed: ['sent', 'confirmed', 'failed'],
  // `sent` -> `sent` is a re-send of the same raw transaction.
  sent: ['sent', 'confirmed', 'failed'],
  confirmed: [],
  failed: [],
};

export function canMove(from: WithdrawalState, to: WithdrawalState): boolean {
  return ALLOWED[from].includes(to);
}

/** The parts of a stored withdrawal that reconciliation reads. */
export interface WithdrawalFacts {
  kind: WithdrawalKind;
  state: WithdrawalState;
  cumulativeAmount: bigint;
  /** The account's transaction nonce (direct claims) or the vault's withdrawal nonce (relayed). */
  nonce: number | null;
  /** Direct claims only: the signed transaction, kept so it can be re-sent byte for byte. */
  hasRawTransaction: boolean;
  /** The transaction that carries it (the newest fee bump for a direct claim), or the relayer's once it answered. */
  txHash: string | null;
  /** Relayed only: the last second the vault accepts the signed withdrawal. */
  deadlineSeconds: number | null;
}

/** What the chain said, gathered by the edge before `reconcile` decides. */
export type ChainObservation =
  | { kind: 'unreachable'; reason: string }
  | {
      kind: 'observed';
      /** The receipt of whichever of its transactions was mined (at most one can be: they share a nonce). */
      receipt: {
        txHash: string;
        status: 'success' | 'reverted';
        blockNumber: number;
        revertReason: string | null;
      } | null;
      /** Whether the node holds `txHash` (the newest) unmined, in its mempool. */
      pendingInNode: boolean;
      /** How many transactions of the account are mined (the next nonce the chain accepts). */
      minedNonce: number;
      /** The vault's claimed(account): everything already paid, fees included. */
      vaultClaimed: bigint;
      /** Relayed only: the vault's nonces(account). */
      vaultWithdrawalNonce: number | null;
      /** The latest block's timestamp, in seconds. */
      chainTimeSeconds: number;
    };

export type ReconcileDecision =
  /** Nothing is signed yet, and there is something to claim: sign now. */
  | { action: 'sign' }
  /** Broadcast the stored transaction (again): same bytes, same nonce, same hash. */
  | { action: 'broadcast' }
  /** Relayed: hand the stored signed withdrawal to the relayer (again). */
  | { action: 'relay' }
  /** Mined: record the outcome and which transaction carried it (null: known only from the vault's nonce). */
  | { action: 'confirm'; blockNumber: number | null; txHash: string | null }
  | { action: 'fail'; reason: string }
  /** Nothing to do but wait: in a block soon, or the chain is unreachable now. */
  | { action: 'wait'; reason: string };

/**
 * What to do next with an unfinished withdrawal. A decision never asks to
 * sign once something is signed: `sign` comes only from `prepared`.
 */
export function reconcile(facts: WithdrawalFacts, chain: ChainObservation): ReconcileDecision {
  if (isFinal(facts.state)) return { action: 'wait', reason: 'This withdrawal is finished.' };
  if (chain.kind === 'unreachable') {
    return { action: 'wait', reason: `Waiting for the chain: ${chain.reason}` };
  }

  if (facts.state === 'prepared') {
    // Nothing was signed, so nothing of ours can be on chain: the vault alone says what is left.
    if (chain.vaultClaimed >= facts.cumulativeAmount) {
      return { action: 'fail', reason: 'Nothing to claim: this voucher has already been paid.' };
    }
    return { action: 'sign' };
  }

  if (chain.receipt) {
    if (chain.receipt.status === 'success') {
      return { action: 'confirm', blockNumber: chain.receipt.blockNumber, txHash: chain.receipt.txHash };
    }
    if (facts.kind !== 'relayed') {
      return {
        action: 'fail',
        reason: `The claim was rejected by the vault: ${chain.receipt.revertReason ?? 'reverted'}.`,
      };
    }
    // A reverted relayer transaction consumed nothing of ours; the signed withdrawal may still be submitted.
  }

  return facts.kind === 'relayed' ? reconcileRelayed(facts, chain) : reconcileDirect(facts, chain);
}

function reconcileDirect(
  facts: WithdrawalFacts,
  chain: Extract<ChainObservation, { kind: 'observed' }>,
): ReconcileDecision {
  if (chain.pendingInNode) return { action: 'wait', reason: 'Sent; waiting to be included in a block.' };
  if (facts.nonce === null || !facts.hasRawTransaction) {
    return { action: 'fail', reason: 'The stored withdrawal has no signed transaction; it was never sent.' };
  }
  if (chain.minedNonce > facts.nonce) {
    // Our nonce is used, but by none of our transactions (none has a receipt): replaced, it can never land.
    return {
      action: 'fail',
      reason:
        chain.vaultClaimed >= facts.cumulativeAmount
          ? 'Replaced by another transaction from this wallet; the voucher was paid by it.'
          : 'Replaced by another transaction from this wallet with the same nonce; nothing was paid, so you can withdraw again.',
    };
  }
  // The node does not know the newest (dropped, never received, or a fee bump recorded just before a crash):
  // send those bytes (again). An older one still pending is replaced by it, having a lower fee.
  return { action: 'broadcast' };
}

function reconcileRelayed(
  facts: WithdrawalFacts,
  chain: Extract<ChainObservation, { kind: 'observed' }>,
): ReconcileDecision {
  if (chain.pendingInNode) return { action: 'wait', reason: 'Relayed; waiting to be included in a block.' };
  if (facts.nonce === null || facts.deadlineSeconds === null) {
    return { action: 'fail', reason: 'The stored relayed withdrawal is incomplete; it was never sent.' };
  }
  const vaultNonce = chain.vaultWithdrawalNonce ?? 0;
  if (vaultNonce > facts.nonce) {
    // The signed nonce is used: by this withdrawal (someone relayed it) when the voucher is paid.
    return chain.vaultClaimed >= facts.cumulativeAmount
      ? { action: 'confirm', blockNumber: null, txHash: null }
      : { action: 'fail', reason: 'The signed withdrawal was cancelled on chain; nothing was paid.' };
  }
  if (chain.chainTimeSeconds > facts.deadlineSeconds) {
    return {
      action: 'fail',
      reason: 'The relayer did not submit the withdrawal before its deadline; nothing was paid.',
    };
  }
  return { action: 'relay' };
}

/** The state a decision moves a withdrawal to (null: it stays where it is). */
export function stateAfter(decision: ReconcileDecision): WithdrawalState | null {
  switch (decision.action) {
    case 'confirm':
      return 'confirmed';
    case 'fail':
      return 'failed';
    case 'sign':
      return 'signed';
    case 'broadcast':
    case 'relay':
      return 'sent';
    case 'wait':
      return null;
  }
}
