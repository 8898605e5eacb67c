/**
 * The owner's requests to the agent. Each one marks itself pending in the
 * store, and its answer (the new status, settings or policy) goes into the
 * store the same way a pushed event does, so the screen never shows a guess.
 */
import type { LocalApiConnection } from '../../agent/local-api/client.ts';
import type {
  DiagnosticsBundle,
  EarningsRange,
  OwnerOverrideRequest,
  SchedulerPolicy,
  SchedulerPolicyInput,
  Settings,
  Status,
  WithdrawalPlanView,
} from '../../agent/local-api/contract.ts';
import { errorSentence, loadDevices, loadEarningsSeries, loadEarningsTotals, loadWallet } from './agent-connection.ts';
import type { BenchmarkMode } from './devices/benchmark-run.ts';
import type { DashboardAction, DashboardEvent, OverrideAction } from './store/dashboard-reducer.ts';
import { confirmedFee } from './wallet/withdrawals.ts';

/** What each override choice asks the agent for. */
export const OVERRIDE_REQUESTS: Record<OverrideAction, OwnerOverrideRequest> = {
  'pause-15m': { kind: 'pause-for', durationSeconds: 15 * 60 },
  'pause-1h': { kind: 'pause-for', durationSeconds: 60 * 60 },
  'pause-until-tomorrow': { kind: 'pause-until-tomorrow' },
  'pause-until-resumed': { kind: 'pause-until-resumed' },
  'earn-30m': { kind: 'earn-now', durationSeconds: 30 * 60 },
  'earn-1h': { kind: 'earn-now', durationSeconds: 60 * 60 },
  'earn-2h': { kind: 'earn-now', durationSeconds: 2 * 60 * 60 },
  'finish-then-pause': { kind: 'finish-then-pause' },
};

export interface AgentActions {
  override(action: OverrideAction): Promise<void>;
  resume(): Promise<void>;
  setTheme(theme: Settings['theme']): Promise<void>;
  /** Resolves to the saved settings, or null when the agent refused (its sentence is in the store). */
  saveSettings(patch: Partial<Settings>): Promise<Settings | null>;
  /** Resolves to the saved policy, or null when the agent refused (its sentence is in the store). */
  savePolicy(patch: Partial<SchedulerPolicyInput>): Promise<SchedulerPolicy | null>;
  /** Asks the agent for the wallet's status and balances again (the Wallet screen opened). */
  refreshWallet(): void;
  /** The Earnings totals again, ending now. */
  refreshEarningsTotals(): void;
  unlockWallet(password: string): Promise<void>;
  /** What withdrawing now would do, kept in the store for the owner to confirm; `to` forwards elsewhere. */
  planWithdrawal(to: string | undefined): Promise<void>;
  cancelWithdrawal(): void;
  /** Starts the planned withdrawal with the fee the plan showed; its progress arrives as events. */
  withdraw(plan: WithdrawalPlanView, to: string | undefined): Promise<void>;
  /** Replaces a withdrawal waiting for a block with the same one at a higher fee (the agent signs, within the cap). */
  speedUpWithdrawal(id: number): Promise<void>;
  /** Creates the wallet; resolves to its address and recovery phrase (shown once), or null when refused. */
  createWallet(password: string): Promise<{ address: string; mnemonic: string } | null>;
  /** Imports a wallet from its phrase or private key; resolves to its address, or null when refused. */
  importWallet(secret: string, password: string): Promise<string | null>;
  /** Starts a benchmark run; its progress and end arrive as events. */
  runBenchmark(mode: BenchmarkMode): Promise<void>;
  /** Asks the agent for the device report (probing again when `refresh`) and the newest benchmark. */
  refreshDevices(refresh: boolean): void;
  /** Saves one policy patch for the device switches and limits; resolves to the policy, or null when refused. */
  saveDevice(patch: Partial<SchedulerPolicyInput>): Promise<SchedulerPolicy | null>;
  /** Ends the first run: any override ends, so the schedule decides and earning starts; the agent remembers it. */
  startEarning(): Promise<void>;
  /** Closes the first run without finishing it; the agent remembers the skip, so it stays closed on reopening. */
  skipFirstRun(): Promise<void>;
  /** Shows the Earnings chart over another range, asking the agent for its buckets. */
  selectEarningsRange(range: EarningsRange): void;
  /** The diagnostics bundle, or null when the agent refused (its sentence is in the store). */
  exportDiagnostics(): Promise<DiagnosticsBundle | null>;
}

const NOT_CONNECTED = 'Not connected to the Idlehive agent. Try again once the connection is back.';

export function createAgentActions(
  session: { current(): LocalApiConnection | null },
  dispatch: (event: DashboardEvent) => void,
): AgentActions {
  const run = async <T>(
    action: DashboardAction,
    request: (connection: LocalApiConnection) => Promise<T>,
    received: (answer: T) => DashboardEvent,
  ): Promise<T | null> => {
    dispatch({ type: 'action-started', action });
    const connection = session.current();
    if (connection === null) {
      dispatch({ type: 'action-failed', action, message: NOT_CONNECTED });
      return null;
    }
    try {
      const answer = await request(connection);
      dispatch(received(answer));
      dispatch({ type: 'action-succeeded', action });
      return answer;
    } catch (error) {
      const message = errorSentence(error);
      dispatch({ type: 'action-failed', action, message });
      return null;
    }
  };
  const statusReceived = (status: Status) => ({ type: 'status-received', status }) as const;
  const reloadWallet = () =>
    session
      .current()
      ?.call('wallet.status', {})
      .then(
        (wallet) => dispatch({ type: 'wallet-received', wallet }),
        () => {},
      );
  const settingsReceived = (settings: Settings) => ({ type: 'settings-received', settings }) as const;

  return {
    override: async (action) => {
      await run(
        action,
        (connection) => connection.call('control.override', { request: OVERRIDE_REQUESTS[action] }),
        statusReceived,
      );
    },
    resume: async () => {
      await run('resume', (connection) => connection.call('control.resume', {}), statusReceived);
    },
    setTheme: async (theme) => {
      await run('set-theme', (connection) => connection.call('settings.set', { patch: { theme } }), settingsReceived);
    },
    saveSettings: (patch) =>
      run('save-settings', (connection) => connection.call('settings.set', { patch }), settingsReceived),
    savePolicy: (patch) =>
      run(
        'save-policy',
        (connection) => connection.call('scheduler.policy.set', { patch }),
        (policy) => ({ type: 'policy-received', policy }),
      ),
    refreshWallet: () => {
      const connection = session.current();
      if (connection !== null) loadWallet(connection, dispatch);
    },
    refreshEarningsTotals: () => {
      const connection = session.current();
      if (connection !== null) loadEarningsTotals(connection, dispatch);
    },
    unlockWallet: async (password) => {
      const unlocked = await run(
        'unlock-wallet',
        (connection) => connection.call('wallet.unlock', { password }),
        ({ address }) => ({ type: 'wallet-unlocked', address }),
      );
      if (unlocked !== null)
        session
          .current()
          ?.call('wallet.status', {})
          .then(
            (wallet) => dispatch({ type: 'wallet-received', wallet }),
            () => {},
          );
    },
    planWithdrawal: async (to) => {
      await run(
        'plan-withdrawal',
        (connection) => connection.call('wallet.withdraw.plan', to === undefined ? {} : { to }),
        (plan) => ({ type: 'withdrawal-planned', plan }),
      );
    },
    cancelWithdrawal: () => dispatch({ type: 'withdrawal-planned', plan: null }),
    withdraw: async (plan, to) => {
      const maxFee = confirmedFee(plan);
      if (maxFee === null) {
        dispatch({
          type: 'action-failed',
          action: 'withdraw',
          message: 'The fee for this withdrawal is not known yet, so it cannot be confirmed. Review it again.',
        });
        return;
      }
      const started = await run(
        'withdraw',
        (connection) => connection.call('wallet.withdraw', { maxFee, ...(to === undefined ? {} : { to }) }),
        (progress) => ({ type: 'withdrawal-progressed', progress }),
      );
      if (started !== null) dispatch({ type: 'withdrawal-planned', plan: null });
    },
    speedUpWithdrawal: async (id) => {
      await run(
        'speed-up-withdrawal',
        (connection) => connection.call('wallet.withdraw.speedUp', { id }),
        (progress) => ({ type: 'withdrawal-progressed', progress }),
      );
    },
    createWallet: async (password) => {
      // The phrase goes back to the caller only; the store keeps just the address.
      const created = await run(
        'create-wallet',
        (connection) => connection.call('wallet.create', { password }),
        ({ address }) => ({ type: 'wallet-unlocked', address }),
      );
      if (created !== null) reloadWallet();
      return created;
    },
    importWallet: async (secret, password) => {
      const imported = await run(
        'import-wallet',
        (connection) => connection.call('wallet.import', { secret, password }),
        ({ address }) => ({ type: 'wallet-unlocked', address }),
      );
      if (imported !== null) reloadWallet();
      return imported?.address ?? null;
    },
    runBenchmark: async (mode) => {
      await run(
        'run-benchmark',
        (connection) => connection.call('benchmark.run', { mode }),
        (started) => ({ type: 'benchmark-started', mode: started.mode }),
      );
    },
    refreshDevices: (refresh) => {
      const connection = session.current();
      if (connection !== null) loadDevices(connection, dispatch, refresh);
    },
    saveDevice: (patch) =>
      run(
        'save-device',
        (connection) => connection.call('scheduler.policy.set', { patch }),
        (policy) => ({ type: 'policy-received', policy }),
      ),
    startEarning: async () => {
      const status = await run('start-earning', (connection) => connection.call('control.resume', {}), statusReceived);
      if (status === null) return;
      const settings = await run(
        'start-earning',
        (connection) => connection.call('settings.set', { patch: { firstRun: 'finished' } }),
        settingsReceived,
      );
      if (settings !== null) dispatch({ type: 'first-run-ended' });
    },
    skipFirstRun: async () => {
      const settings = await run(
        'skip-first-run',
        (connection) => connection.call('settings.set', { patch: { firstRun: 'skipped' } }),
        settingsReceived,
      );
      if (settings !== null) dispatch({ type: 'first-run-ended' });
    },
    selectEarningsRange: (range) => {
      dispatch({ type: 'earnings-range-selected', range });
      const connection = session.current();
      if (connection !== null) loadEarningsSeries(connection, dispatch, range);
    },
    exportDiagnostics: () =>
      run(
        'export-diagnostics',
        (connection) => connection.call('diagnostics.export', {}),
        () => ({ type: 'action-succeeded', action: 'export-diagnostics' }),
      ),
  };
}
