/**
 * The wallet as the dashboard keeps it: the agent's wallet status, with each
 * `wallet.withdrawal` push merged in by id (newest first), so a withdrawal's
 * progress shows the moment the agent reports it.
 */
import type { WalletStatus, WithdrawalPlanView, WithdrawalProgress } from '../../../agent/local-api/contract.ts';

const FINAL_STATES: ReadonlySet<WithdrawalProgress['state']> = new Set(['confirmed', 'failed']);

export function isFinalWithdrawal(progress: WithdrawalProgress): boolean {
  return FINAL_STATES.has(progress.state);
}

export function withWithdrawal(wallet: WalletStatus, progress: WithdrawalProgress): WalletStatus {
  const others = wallet.withdrawals.filter((entry) => entry.id !== progress.id);
  const current = wallet.withdrawals.find((entry) => entry.id === progress.id);
  // An older report arriving late must not move a withdrawal backwards.
  if (current !== undefined && current.updatedAt > progress.updatedAt) return wallet;
  const withdrawals = [...others, progress].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  return { ...wallet, withdrawals };
}

/** The fee the owner confirms with a plan: the relayer's fee in tokens, or the most the gas can cost. */
export function confirmedFee(plan: WithdrawalPlanView): string | null {
  return plan.kind === 'relayed' ? plan.relayFee : plan.maxGasCost;
}

export const WITHDRAWAL_STATE_LABELS: Record<WithdrawalProgress['state'], string> = {
  prepared: 'Prepared',
  signed: 'Signed',
  sent: 'Sent, waiting for confirmation',
  confirmed: 'Confirmed',
  failed: 'Failed',
};

/**
 * What fee bumps did to a withdrawal, in words: "Replaced with a higher fee
 * twice" while it waits or after it landed; null when it was never sped up.
 */
export function speedUpSummary(progress: WithdrawalProgress): string | null {
  const times = progress.speedUps ?? 0;
  if (times < 1) return null;
  const count = times === 1 ? 'once' : times === 2 ? 'twice' : `${times} times`;
  return `Replaced with a higher fee ${count} (same nonce, so only one of its transactions can ever be mined)`;
}

/** The transactions a fee bump replaced, or that lost to the one mined, with what became of each. */
export function supersededTransactions(progress: WithdrawalProgress): { txHash: string; label: string }[] {
  return (progress.transactions ?? []).flatMap((tx) =>
    tx.outcome === 'replaced'
      ? [{ txHash: tx.txHash, label: 'replaced' }]
      : tx.outcome === 'not-mined'
        ? [{ txHash: tx.txHash, label: 'not mined' }]
        : [],
  );
}
