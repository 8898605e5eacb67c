/**
 * The dashboard's state and the one pure function that changes it. The store
 * holds only what the agent pushed or answered (plus which screen is shown):
 * no component fetches, polls or keeps its own copy, so what the screen shows
 * is what the agent said last.
 */

import type {
  BalanceView,
  BenchmarkFinishedEvent,
  BenchmarkHistory,
  BenchmarkProgressEvent,
  BenchmarkReport,
  DevicesView,
  EarningsByDay,
  EarningsRange,
  EarningsSeries,
  EarningsTotals,
  ProviderJob,
  SchedulerPolicy,
  Settings,
  Status,
  WalletStatus,
  WithdrawalPlanView,
  WithdrawalProgress,
} from '../../../agent/local-api/contract.ts';
import type { DesktopFacts } from '../../../electron/ipc-contract.ts';
import {
  type BenchmarkMode,
  type BenchmarkState,
  benchmarkFinished,
  benchmarkProgressed,
  benchmarkStarted,
  NO_BENCHMARK,
} from '../devices/benchmark-run.ts';
import { mergeJobs } from '../earnings/earnings-summary.ts';
import { DEFAULT_ROUTE, type RouteId } from '../routes/routes.ts';
import { type TodayTimeline, withStatus } from '../timeline/today.ts';
import { withWithdrawal } from '../wallet/withdrawals.ts';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized';

/** Why the agent will not talk to this page: no token at all, or one it refused. */
export type UnauthorizedReason = 'missing-token' | 'rejected-token';

/** The owner's overrides offered on Home; agent-actions.ts says what each one asks the agent for. */
export type OverrideAction =
  | 'pause-15m'
  | 'pause-1h'
  | 'pause-until-tomorrow'
  | 'pause-until-resumed'
  | 'earn-30m'
  | 'earn-1h'
  | 'earn-2h'
  | 'finish-then-pause';

/** The owner's requests that can be in flight; each disables its controls while it runs. */
export type DashboardAction =
  | OverrideAction
  | 'resume'
  | 'set-theme'
  | 'save-settings'
  | 'save-policy'
  | 'unlock-wallet'
  | 'plan-withdrawal'
  | 'withdraw'
  | 'speed-up-withdrawal'
  | 'create-wallet'
  | 'import-wallet'
  | 'run-benchmark'
  | 'save-device'
  | 'start-earning'
  | 'skip-first-run'
  | 'export-diagnostics';

/**
 * The first-run flow: 'unknown' until the agent said whether it has a wallet
 * and whether the owner already finished or skipped the steps (the `firstRun`
 * setting, kept by the agent so every window and browser agrees); 'active'
 * when there is no wallet and the steps are still pending (shown until the
 * owner finishes or skips them, even after the wallet exists); 'done'
 * otherwise.
 */
export type FirstRunState = 'unknown' | 'active' | 'done';

export interface DashboardState {
  connection: ConnectionState;
  unauthorizedReason: UnauthorizedReason | null;
  /** The last status the agent sent; kept while reconnecting so the screen does not go blank. */
  status: Status | null;
  settings: Settings | null;
  policy: SchedulerPolicy | null;
  /** Today's state changes: loaded on connect and at midnight, then extended by each status push. */
  timeline: TodayTimeline | null;
  /** The jobs this computer leased, newest first, with their payment state (null until the agent answered). */
  jobs: ProviderJob[] | null;
  /** Verified rewards per local day for the last 7 days, as the agent last pushed them (null until it did). */
  earningsByDay: EarningsByDay | null;
  wallet: WalletStatus | null;
  balance: BalanceView | null;
  /** Why the balance could not be read (no wallet yet, chain down), in the agent's words. */
  balanceProblem: string | null;
  /**
   * The address the agent said it unlocked over this connection. The agent
   * keeps the key in memory only, so a lost connection (a restarted agent)
   * forgets it here too.
   */
  unlockedAddress: string | null;
  /** The withdrawal the owner is reviewing before confirming; cleared by confirming or cancelling. */
  withdrawalPlan: WithdrawalPlanView | null;
  /** This computer's devices and isolation, as the agent probed them (null until it answered). */
  devices: DevicesView | null;
  /** Why the device report could not be read, in the agent's words. */
  devicesProblem: string | null;
  /** The newest benchmark report, the run in progress and how the last run failed. */
  benchmark: BenchmarkState;
  /** Stored benchmark runs with each device's score, newest first (null until the agent answered). */
  benchmarkHistory: BenchmarkHistory | null;
  /** The range the Earnings chart shows; the owner picks it. */
  earningsRange: EarningsRange;
  /** The agent's series for `earningsRange` (null until it answered for that range). */
  earningsSeries: EarningsSeries | null;
  /** Why the series could not be read, in the agent's words. */
  earningsSeriesProblem: string | null;
  /** The agent's totals over the whole ledger (null until it answered). */
  earningsTotals: EarningsTotals | null;
  /** Why the totals could not be read, in the agent's words. */
  earningsTotalsProblem: string | null;
  firstRun: FirstRunState;
  /** What only the desktop shell knows (null in a browser, or until main answered). */
  desktopFacts: DesktopFacts | null;
  route: RouteId;
  /** The page's clock (epoch ms), ticked from outside React so times on screen move without any component polling. */
  now: number;
  pendingAction: DashboardAction | null;
  /** The sentence to show after a request failed, and which request; cleared by the next request. */
  actionError: string | null;
  failedAction: DashboardAction | null;
  /** Connection losses and failed attempts since the last successful connect. */
  failedAttempts: number;
}

export type DashboardEvent =
  | { type: 'connected' }
  | { type: 'disconnected' }
  | { type: 'unauthorized'; reason: UnauthorizedReason }
  | { type: 'status-received'; status: Status }
  | { type: 'settings-received'; settings: Settings }
  | { type: 'policy-received'; policy: SchedulerPolicy }
  | { type: 'timeline-received'; timeline: TodayTimeline }
  | { type: 'desktop-facts-received'; facts: DesktopFacts }
  | { type: 'jobs-received'; jobs: ProviderJob[] }
  | { type: 'jobs-pushed'; jobs: ProviderJob[] }
  | { type: 'earnings-by-day-received'; view: EarningsByDay }
  | { type: 'wallet-received'; wallet: WalletStatus }
  | { type: 'wallet-unlocked'; address: string }
  | { type: 'withdrawal-progressed'; progress: WithdrawalProgress }
  | { type: 'balance-received'; balance: BalanceView }
  | { type: 'balance-unavailable'; message: string }
  | { type: 'withdrawal-planned'; plan: WithdrawalPlanView | null }
  | { type: 'devices-received'; devices: DevicesView }
  | { type: 'devices-unavailable'; message: string }
  | { type: 'benchmark-latest-received'; report: BenchmarkReport | null }
  | { type: 'benchmark-started'; mode: BenchmarkMode }
  | { type: 'benchmark-progressed'; progress: BenchmarkProgressEvent }
  | { type: 'benchmark-finished'; finished: BenchmarkFinishedEvent }
  | { type: 'benchmark-history-received'; history: BenchmarkHistory }
  | { type: 'earnings-range-selected'; range: EarningsRange }
  | { type: 'earnings-series-received'; series: EarningsSeries }
  | { type: 'earnings-series-unavailable'; range: EarningsRange; message: string }
  | { type: 'earnings-totals-received'; totals: EarningsTotals }
  | { type: 'earnings-totals-unavailable'; message: string }
  | { type: 'first-run-ended' }
  | { type: 'first-run-opened' }
  | { type: 'route-changed'; route: RouteId }
  | { type: 'clock-ticked'; now: number }
  | { type: 'action-started'; action: DashboardAction }
  | { type: 'action-succeeded'; action: DashboardAction }
  | { type: 'action-failed'; action: DashboardAction; message: string };

export const INITIAL_DASHBOARD_STATE: DashboardState = {
  connection: 'connecting',
  unauthorizedReason: null,
  status: null,
  settings: null,
  policy: null,
  timeline: null,
  jobs: null,
  earningsByDay: null,
  wallet: null,
  balance: null,
  balanceProblem: null,
  unlockedAddress: null,
  withdrawalPlan: null,
  devices: null,
  devicesProblem: null,
  benchmark: NO_BENCHMARK,
  benchmarkHistory: null,
  earningsRange: '7d',
  earningsSeries: null,
  earningsSeriesProblem: null,
  earningsTotals: null,
  earningsTotalsProblem: null,
  firstRun: 'unknown',
  desktopFacts: null,
  route: DEFAULT_ROUTE,
  now: 0,
  pendingAction: null,
  actionError: null,
  failedAction: null,
  failedAttempts: 0,
};

/** Decided once per page, when both the wallet and the settings are known; later only the owner's choices move it. */
function withFirstRunDecided(state: DashboardState): DashboardState {
  if (state.firstRun !== 'unknown' || state.wallet === null || state.settings === null) return state;
  const isPending = state.wallet.wallet === null && state.settings.firstRun === 'pending';
  return { ...state, firstRun: isPending ? 'active' : 'done' };
}

export function reduceDashboard(state: DashboardState, event: DashboardEvent): DashboardState {
  switch (event.type) {
    case 'connected':
      return { ...state, connection: 'connected', unauthorizedReason: null, failedAttempts: 0 };
    case 'disconnected':
      // Before the first connection the page is still "connecting"; after it, a loss is a reconnect.
      // A request in flight died with the socket (the client rejects it), so nothing stays pending.
      if (state.connection === 'unauthorized') return state;
      return {
        ...state,
        connection: state.connection === 'connecting' ? 'connecting' : 'reconnecting',
        pendingAction: null,
        unlockedAddress: null,
        // Events sent while disconnected are lost; the run, if it goes on, reports again.
        benchmark: { ...state.benchmark, running: null },
        failedAttempts: state.failedAttempts + 1,
      };
    case 'unauthorized':
      return { ...state, connection: 'unauthorized', unauthorizedReason: event.reason, pendingAction: null };
    case 'status-received':
      return {
        ...state,
        status: event.status,
        // The page clock is never behind what the agent just said happened.
        now: Math.max(state.now, event.status.since),
        timeline: state.timeline === null ? null : withStatus(state.timeline, event.status),
      };
    case 'settings-received':
      return withFirstRunDecided({ ...state, settings: event.settings });
    case 'policy-received':
      return { ...state, policy: event.policy };
    case 'timeline-received':
      // The status may have moved on while the list was on its way; the list plus the last status is the truth.
      return {
        ...state,
        timeline: state.status === null ? event.timeline : withStatus(event.timeline, state.status),
      };
    case 'jobs-received':
      return { ...state, jobs: mergeJobs([], event.jobs) };
    case 'jobs-pushed':
      return { ...state, jobs: mergeJobs(state.jobs ?? [], event.jobs) };
    case 'earnings-by-day-received':
      return { ...state, earningsByDay: event.view };
    case 'wallet-received':
      return withFirstRunDecided({ ...state, wallet: event.wallet });
    case 'first-run-ended':
      return { ...state, firstRun: 'done' };
    case 'first-run-opened':
      return { ...state, firstRun: 'active' };
    case 'devices-received':
      return { ...state, devices: event.devices, devicesProblem: null };
    case 'devices-unavailable':
      return { ...state, devicesProblem: event.message };
    case 'benchmark-latest-received':
      // A run in progress keeps going; only the stored report is replaced.
      return { ...state, benchmark: { ...state.benchmark, latest: event.report } };
    case 'benchmark-started':
      return { ...state, benchmark: benchmarkStarted(state.benchmark, event.mode) };
    case 'benchmark-progressed':
      return { ...state, benchmark: benchmarkProgressed(state.benchmark, event.progress) };
    case 'benchmark-finished':
      return { ...state, benchmark: benchmarkFinished(state.benchmark, event.finished) };
    case 'benchmark-history-received':
      return { ...state, benchmarkHistory: event.history };
    case 'earnings-range-selected':
      return state.earningsRange === event.range
        ? state
        : { ...state, earningsRange: event.range, earningsSeries: null, earningsSeriesProblem: null };
    case 'earnings-series-received':
      // An answer for a range the owner has since left is dropped.
      return event.series.range === state.earningsRange
        ? { ...state, earningsSeries: event.series, earningsSeriesProblem: null }
        : state;
    case 'earnings-series-unavailable':
      return event.range === state.earningsRange ? { ...state, earningsSeriesProblem: event.message } : state;
    case 'earnings-totals-received':
      // Answers may cross on the socket: an older computation never replaces a newer one.
      return state.earningsTotals !== null && state.earningsTotals.now > event.totals.now
        ? state
        : { ...state, earningsTotals: event.totals, earningsTotalsProblem: null };
    case 'earnings-totals-unavailable':
      return { ...state, earningsTotalsProblem: event.message };
    case 'wallet-unlocked':
      return { ...state, unlockedAddress: event.address };
    case 'withdrawal-progressed':
      return state.wallet === null ? state : { ...state, wallet: withWithdrawal(state.wallet, event.progress) };
    case 'balance-received':
      return { ...state, balance: event.balance, balanceProblem: null };
    case 'balance-unavailable':
      return { ...state, balanceProblem: event.message };
    case 'withdrawal-planned':
      return { ...state, withdrawalPlan: event.plan };
    case 'desktop-facts-received':
      return { ...state, desktopFacts: event.facts };
    case 'route-changed':
      return state.route === event.route ? state : { ...state, route: event.route };
    case 'clock-ticked':
      return { ...state, now: event.now };
    case 'action-started':
      return { ...state, pendingAction: event.action, actionError: null, failedAction: null };
    case 'action-succeeded':
      return state.pendingAction === event.action ? { ...state, pendingAction: null } : state;
    case 'action-failed':
      return {
        ...state,
        pendingAction: state.pendingAction === event.action ? null : state.pendingAction,
        actionError: event.message,
        failedAction: event.action,
      };
  }
}
