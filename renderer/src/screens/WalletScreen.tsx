import { useId, useState } from 'react';
import type {
  BalanceView,
  WalletStatus,
  WithdrawalPlanView,
  WithdrawalProgress,
} from '../../../agent/local-api/contract.ts';
import { formatTokenAmount } from '../../../network/payment/token-amount.ts';
import { LoadingCard } from '../components/LoadingCard.tsx';
import type { DashboardAction } from '../store/dashboard-reducer.ts';
import { speedUpSummary, supersededTransactions, WITHDRAWAL_STATE_LABELS } from '../wallet/withdrawals.ts';

const TOKEN = 'tHIVE';

interface WalletScreenProps {
  wallet: WalletStatus | null;
  /** The address the agent unlocked over this connection, if any. */
  unlockedAddress: string | null;
  balance: BalanceView | null;
  balanceProblem: string | null;
  plan: WithdrawalPlanView | null;
  canAct: boolean;
  pendingAction: DashboardAction | null;
  /** The agent's sentence when the last wallet request failed. */
  actionError: string | null;
  onUnlock(password: string): void;
  onPlan(to: string | undefined): void;
  onCancelPlan(): void;
  onWithdraw(plan: WithdrawalPlanView, to: string | undefined): void;
  /** Re-sends a withdrawal waiting for a block at a higher fee (the agent signs with the unlocked key). */
  onSpeedUp(id: number): void;
  /** Opens the first-run steps, which create or import the wallet from this page. */
  onSetUp(): void;
}

function tokens(amount: string | null): string {
  return amount === null ? 'unknown' : `${formatTokenAmount(amount)} ${TOKEN}`;
}

/** The payout wallet: its address, balances, one-click withdrawal with the fee shown first, and every withdrawal. */
export function WalletScreen(props: WalletScreenProps) {
  const { wallet } = props;
  if (wallet === null) {
    return <LoadingCard hint="Loading the wallet from the Idlehive agent…" />;
  }
  if (wallet.wallet === null || wallet.readiness === 'missing') {
    return (
      <section className="card form-card" aria-labelledby="wallet-missing" data-testid="wallet-missing">
        <h2 id="wallet-missing" className="card__heading">
          No wallet yet
        </h2>
        <p>
          Idlehive pays what this computer earns into your own wallet. Create one, or import one you already have, here:
        </p>
        <div className="form-actions">
          <button type="button" className="button button--primary" data-testid="wallet-set-up" onClick={props.onSetUp}>
            Set up a wallet
          </button>
        </div>
        <p>Or in a terminal on this computer:</p>
        <pre className="command">
          <code>idlehive wallet create</code>
        </pre>
        <pre className="command">
          <code>idlehive wallet import</code>
        </pre>
        <p className="card__hint">
          A new wallet’s recovery words are shown once, to be written down; they are never stored by this page. Once a
          wallet exists, its address, balances and withdrawals appear here.
        </p>
      </section>
    );
  }
  return (
    <div className="wallet">
      <AddressCard address={wallet.wallet.address} mode={wallet.wallet.mode} />
      {wallet.readiness === 'locked' && props.unlockedAddress !== wallet.wallet.address && <UnlockCard {...props} />}
      <BalancesCard balance={props.balance} problem={props.balanceProblem} />
      {wallet.wallet.mode === 'keystore' && <WithdrawCard {...props} />}
      <HistoryCard
        withdrawals={wallet.withdrawals}
        canSpeedUp={props.canAct && wallet.wallet.mode === 'keystore'}
        pendingAction={props.pendingAction}
        onSpeedUp={props.onSpeedUp}
      />
    </div>
  );
}

function AddressCard({ address, mode }: { address: string; mode: 'keystore' | 'watch-only' }) {
  const [copyNote, setCopyNote] = useState('');
  const copy = () => {
    navigator.clipboard.writeText(address).then(
      () => setCopyNote('Copied.'),
      () => setCopyNote('Copying is not allowed here: select the address and copy it.'),
    );
  };
  return (
    <section className="card form-card" aria-labelledby="wallet-address">
      <h2 id="wallet-address" className="card__heading">
        Your wallet
      </h2>
      <pre className="command address" data-testid="wallet-address">
        <code>{address}</code>
      </pre>
      <div className="form-actions">
        <button type="button" className="button" onClick={copy}>
          Copy address
        </button>
        <p className="form-actions__status" role="status">
          {copyNote}
        </p>
      </div>
      {mode === 'watch-only' && (
        <p className="card__hint">This computer only watches this address; it cannot withdraw from it.</p>
      )}
    </section>
  );
}

function UnlockCard({ canAct, pendingAction, actionError, onUnlock }: WalletScreenProps) {
  const ids = useId();
  const [password, setPassword] = useState('');
  return (
    <form
      className="card form-card"
      aria-labelledby={`${ids}-unlock`}
      onSubmit={(event) => {
        event.preventDefault();
        onUnlock(password);
        setPassword('');
      }}
    >
      <h2 id={`${ids}-unlock`} className="card__heading">
        Unlock to earn
      </h2>
      <p className="card__hint">
        The wallet signs this computer in to the network. The agent keeps the unlocked key in memory only, until it
        stops.
      </p>
      <div className="field">
        <label htmlFor={`${ids}-password`}>Wallet password</label>
        <input
          id={`${ids}-password`}
          className="input"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </div>
      <div className="form-actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={!canAct || password === ''}
          aria-busy={pendingAction === 'unlock-wallet'}
        >
          {pendingAction === 'unlock-wallet' ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
      {actionError !== null && (
        <p className="action-error" role="alert">
          {actionError}
        </p>
      )}
    </form>
  );
}

function BalancesCard({ balance, problem }: { balance: BalanceView | null; problem: string | null }) {
  return (
    <section className="card form-card" aria-labelledby="wallet-balances" data-testid="wallet-balances">
      <h2 id="wallet-balances" className="card__heading">
        Balances
      </h2>
      {balance === null ? (
        <p className="card__hint">{problem ?? 'Asking the chain…'}</p>
      ) : (
        <>
          <dl className="balances">
            <div>
              <dt>Claimable now</dt>
              <dd>{tokens(balance.claimable)}</dd>
            </div>
            <div>
              <dt>In your wallet</dt>
              <dd>{tokens(balance.walletTokens)}</dd>
            </div>
            <div>
              <dt>Being withdrawn</dt>
              <dd>{tokens(balance.withdrawing)}</dd>
            </div>
            <div>
              <dt>Earned in total</dt>
              <dd>{tokens(balance.lifetimeEarned)}</dd>
            </div>
            <div>
              <dt>Results awaiting verification</dt>
              <dd>{balance.pendingResults ?? 'unknown'}</dd>
            </div>
          </dl>
          {balance.unavailable !== null && <p className="note">{balance.unavailable}</p>}
        </>
      )}
    </section>
  );
}

function WithdrawCard({
  plan,
  canAct,
  pendingAction,
  actionError,
  onPlan,
  onCancelPlan,
  onWithdraw,
}: WalletScreenProps) {
  const ids = useId();
  const [to, setTo] = useState('');
  const recipient = to.trim() === '' ? undefined : to.trim();
  return (
    <section className="card form-card" aria-labelledby={`${ids}-withdraw`}>
      <h2 id={`${ids}-withdraw`} className="card__heading">
        Withdraw
      </h2>
      {plan === null ? (
        <>
          <div className="field">
            <label htmlFor={`${ids}-to`}>Send to another address (optional)</label>
            <input
              id={`${ids}-to`}
              className="input"
              spellCheck={false}
              placeholder="Your wallet"
              value={to}
              onChange={(event) => setTo(event.target.value)}
            />
          </div>
          <div className="form-actions">
            <button
              type="button"
              className="button button--primary"
              disabled={!canAct}
              aria-busy={pendingAction === 'plan-withdrawal'}
              onClick={() => onPlan(recipient)}
            >
              {pendingAction === 'plan-withdrawal' ? 'Working out the fee…' : 'Review withdrawal'}
            </button>
          </div>
        </>
      ) : (
        <>
          <dl className="balances" data-testid="withdrawal-plan">
            <div>
              <dt>Amount</dt>
              <dd>{tokens(plan.amount)}</dd>
            </div>
            <div>
              <dt>{plan.kind === 'relayed' ? 'Relay fee' : 'Network fee at most'}</dt>
              <dd>
                {plan.kind === 'relayed'
                  ? tokens(plan.relayFee)
                  : `${formatTokenAmount(plan.maxGasCost ?? '0')} (native coin)`}
              </dd>
            </div>
            {plan.kind !== 'relayed' && plan.maxGasCostWithSpeedUps != null && (
              <div>
                <dt>If it waits for a block</dt>
                <dd>{`the fee is raised automatically, up to ${formatTokenAmount(plan.maxGasCostWithSpeedUps)} (native coin)`}</dd>
              </div>
            )}
            <div>
              <dt>Arrives</dt>
              <dd>{tokens(plan.received)}</dd>
            </div>
            <div>
              <dt>To</dt>
              <dd className="address">{plan.recipient}</dd>
            </div>
          </dl>
          {plan.warnings.map((warning) => (
            <p key={warning} className="note">
              {warning}
            </p>
          ))}
          <div className="form-actions">
            <button
              type="button"
              className="button button--primary"
              disabled={!canAct}
              aria-busy={pendingAction === 'withdraw'}
              onClick={() => onWithdraw(plan, recipient)}
            >
              {pendingAction === 'withdraw' ? 'Withdrawing…' : `Withdraw ${tokens(plan.received)}`}
            </button>
            <button type="button" className="button" disabled={pendingAction === 'withdraw'} onClick={onCancelPlan}>
              Cancel
            </button>
          </div>
        </>
      )}
      {actionError !== null && (
        <p className="action-error" role="alert" data-testid="wallet-error">
          {actionError}
        </p>
      )}
    </section>
  );
}

function HistoryCard({
  withdrawals,
  canSpeedUp,
  pendingAction,
  onSpeedUp,
}: {
  withdrawals: readonly WithdrawalProgress[];
  canSpeedUp: boolean;
  pendingAction: DashboardAction | null;
  onSpeedUp(id: number): void;
}) {
  return (
    <section className="card form-card" aria-labelledby="wallet-history">
      <h2 id="wallet-history" className="card__heading">
        Withdrawals
      </h2>
      {withdrawals.length === 0 ? (
        <p className="card__hint">None yet. Each withdrawal appears here with its progress and transaction.</p>
      ) : (
        <ol className="withdrawals" data-testid="withdrawals">
          {withdrawals.map((entry) => (
            <li key={entry.id} className="withdrawals__item">
              <p>
                <strong>{WITHDRAWAL_STATE_LABELS[entry.state]}</strong> · {tokens(entry.paidAmount ?? entry.amount)} to{' '}
                <span className="address">{entry.recipient}</span>
              </p>
              {entry.txHash !== null && (
                <p className="card__hint">
                  Transaction <code className="address">{entry.txHash}</code>
                  {entry.blockNumber !== null && ` in block ${entry.blockNumber}`}
                </p>
              )}
              {speedUpSummary(entry) !== null && (
                <p className="card__hint" data-testid="withdrawal-speed-up">
                  {speedUpSummary(entry)}
                  {supersededTransactions(entry).map(({ txHash, label }) => (
                    <span key={txHash}>
                      {` · ${label} `}
                      <code className="address">{txHash}</code>
                    </span>
                  ))}
                </p>
              )}
              {entry.waitingReason !== null && <p className="card__hint">{entry.waitingReason}</p>}
              {entry.state === 'sent' && entry.kind !== 'relayed' && (
                <button
                  type="button"
                  className="button"
                  disabled={!canSpeedUp}
                  aria-busy={pendingAction === 'speed-up-withdrawal'}
                  onClick={() => onSpeedUp(entry.id)}
                >
                  {pendingAction === 'speed-up-withdrawal' ? 'Speeding up…' : 'Speed up (higher fee)'}
                </button>
              )}
              {entry.failure !== null && <p className="action-error">{entry.failure}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
