import { describe, expect, it } from 'vitest';
import { totalEarnings } from '../../../agent/earnings/earnings-totals.ts';
import { defaultSchedulerPolicy } from '../../../agent/scheduler/policy.ts';
import { settingsFixture, statusFixture } from '../test-support/fixtures.ts';
import type { TodayTimeline } from '../timeline/today.ts';
import {
  type DashboardEvent,
  type DashboardState,
  INITIAL_DASHBOARD_STATE,
  reduceDashboard,
} from './dashboard-reducer.ts';
import { createDashboardStore } from './dashboard-store.ts';

function replay(events: DashboardEvent[], from: DashboardState = INITIAL_DASHBOARD_STATE): DashboardState {
  return events.reduce(reduceDashboard, from);
}

describe('reduceDashboard: connection', () => {
  it('starts connecting with nothing known', () => {
    expect(INITIAL_DASHBOARD_STATE).toMatchObject({ connection: 'connecting', status: null, settings: null });
  });

  it('stays "connecting" while the first attempts fail, counting them', () => {
    const state = replay([{ type: 'disconnected' }, { type: 'disconnected' }]);
    expect(state.connection).toBe('connecting');
    expect(state.failedAttempts).toBe(2);
  });

  it('becomes "reconnecting" when a live connection is lost, and keeps the last status', () => {
    const status = statusFixture({ state: 'earning' });
    const state = replay([{ type: 'connected' }, { type: 'status-received', status }, { type: 'disconnected' }]);
    expect(state.connection).toBe('reconnecting');
    expect(state.status).toBe(status);
    expect(state.failedAttempts).toBe(1);
  });

  it('resets the failure count when connected again', () => {
    const state = replay([
      { type: 'connected' },
      { type: 'disconnected' },
      { type: 'disconnected' },
      { type: 'connected' },
    ]);
    expect(state).toMatchObject({ connection: 'connected', failedAttempts: 0 });
  });

  it('drops a pending action when the connection goes, since the client rejects it', () => {
    const state = replay([
      { type: 'connected' },
      { type: 'action-started', action: 'resume' },
      { type: 'disconnected' },
    ]);
    expect(state.pendingAction).toBeNull();
  });

  it('records why the agent refused the page, and ignores later disconnects', () => {
    const state = replay([{ type: 'unauthorized', reason: 'rejected-token' }, { type: 'disconnected' }]);
    expect(state).toMatchObject({ connection: 'unauthorized', unauthorizedReason: 'rejected-token' });
  });
});

describe('reduceDashboard: data from the agent', () => {
  it('replaces status and settings with what arrived last', () => {
    const first = statusFixture({ state: 'waiting' });
    const second = statusFixture({ state: 'paused' });
    const settings = settingsFixture({ theme: 'dark' });
    const state = replay([
      { type: 'status-received', status: first },
      { type: 'status-received', status: second },
      { type: 'settings-received', settings },
    ]);
    expect(state.status).toBe(second);
    expect(state.settings).toBe(settings);
  });

  it('keeps the policy the agent sent last', () => {
    const policy = defaultSchedulerPolicy('UTC');
    expect(replay([{ type: 'policy-received', policy }]).policy).toBe(policy);
  });

  it('extends today’s timeline with each status of a new state or cause, and not before it is loaded', () => {
    const dayStartMs = Date.UTC(2026, 2, 3);
    const timeline: TodayTimeline = {
      dayStartMs,
      dayEndMs: dayStartMs + 86_400_000,
      entries: [{ at: dayStartMs + 1000, state: 'waiting', cause: 'owner-active', reason: 'Waiting.' }],
    };
    const earning = statusFixture({ state: 'earning', cause: 'idle', since: dayStartMs + 5000 });
    expect(replay([{ type: 'status-received', status: earning }]).timeline).toBeNull();
    const state = replay([
      { type: 'timeline-received', timeline },
      { type: 'status-received', status: earning },
      { type: 'status-received', status: { ...earning, reason: 'Earning: idle for 2 min' } },
    ]);
    expect(state.timeline?.entries.map((e) => e.state)).toEqual(['waiting', 'earning']);
  });

  it('adds the last status to a timeline that arrives after it', () => {
    const dayStartMs = Date.UTC(2026, 2, 3);
    const paused = statusFixture({ state: 'paused', cause: 'owner-paused', since: dayStartMs + 9000 });
    const state = replay([
      { type: 'status-received', status: paused },
      { type: 'timeline-received', timeline: { dayStartMs, dayEndMs: dayStartMs + 86_400_000, entries: [] } },
    ]);
    expect(state.timeline?.entries).toEqual([
      { at: paused.since, state: 'paused', cause: 'owner-paused', reason: paused.reason },
    ]);
  });

  it('keeps the wallet, merges withdrawal progress into it, and keeps the balance or why it is missing', () => {
    const wallet = {
      wallet: { address: '0xabc', mode: 'keystore' as const, keychain: false },
      readiness: 'locked' as const,
      withdrawals: [],
    };
    const progress = {
      id: 3,
      state: 'sent' as const,
      kind: 'claim' as const,
      account: '0xabc',
      recipient: '0xabc',
      amount: '10',
      relayFee: null,
      txHash: '0x1',
      nonce: 1,
      sends: 1,
      blockNumber: null,
      paidAmount: null,
      paidFee: null,
      waitingReason: 'Waiting for a block.',
      failure: null,
      createdAt: 5,
      updatedAt: 6,
    };
    expect(replay([{ type: 'withdrawal-progressed', progress }]).wallet).toBeNull();
    const state = replay([
      { type: 'wallet-received', wallet },
      { type: 'withdrawal-progressed', progress },
      { type: 'balance-unavailable', message: 'The chain did not answer.' },
    ]);
    expect(state.wallet?.withdrawals).toEqual([progress]);
    expect(state).toMatchObject({ balance: null, balanceProblem: 'The chain did not answer.' });
    const balance = {
      address: '0xabc',
      token: '0xt',
      walletTokens: '1',
      claimable: '2',
      withdrawing: '0',
      lifetimeEarned: '3',
      pendingResults: 0,
      nativeGas: '4',
      unavailable: null,
    };
    expect(reduceDashboard(state, { type: 'balance-received', balance })).toMatchObject({
      balance,
      balanceProblem: null,
    });
  });

  it('remembers an unlock only while the connection lasts (the agent keeps the key in memory)', () => {
    const state = replay([{ type: 'connected' }, { type: 'wallet-unlocked', address: '0xabc' }]);
    expect(state.unlockedAddress).toBe('0xabc');
    expect(reduceDashboard(state, { type: 'disconnected' }).unlockedAddress).toBeNull();
  });

  it('keeps the jobs the agent listed and merges the ones it pushes', () => {
    const job = {
      leaseId: 'l1',
      jobId: 'j1',
      kind: 'inference' as const,
      coordinator: 'c',
      account: '0xa',
      maxReward: '5',
      state: 'running' as const,
      leasedAt: 1,
      updatedAt: 1,
      reward: null,
      reason: null,
    };
    const state = replay([
      { type: 'jobs-received', jobs: [job] },
      { type: 'jobs-pushed', jobs: [{ ...job, state: 'verified', reward: '5', updatedAt: 2 }] },
    ]);
    expect(state.jobs).toEqual([{ ...job, state: 'verified', reward: '5', updatedAt: 2 }]);
    expect(replay([{ type: 'jobs-pushed', jobs: [job] }]).jobs).toEqual([job]);
  });

  it('keeps the newest earnings totals, and why they are missing until they come', () => {
    const at = (now: number, reward: string) =>
      totalEarnings({ credits: [{ at: now, reward }], awaitingMaxRewards: [], now, timeZone: 'UTC' });
    const failed = replay([{ type: 'earnings-totals-unavailable', message: 'The ledger is busy.' }]);
    expect(failed).toMatchObject({ earningsTotals: null, earningsTotalsProblem: 'The ledger is busy.' });
    const newer = at(2_000, '7');
    const state = replay([{ type: 'earnings-totals-received', totals: newer }], failed);
    expect(state).toMatchObject({ earningsTotals: newer, earningsTotalsProblem: null });
    // An answer computed earlier that arrives later is dropped.
    expect(replay([{ type: 'earnings-totals-received', totals: at(1_000, '5') }], state).earningsTotals).toBe(newer);
  });

  it('keeps the withdrawal plan under review until it is cleared', () => {
    const plan = {
      kind: 'claim' as const,
      recipient: '0xa',
      amount: '5',
      maxGasCost: '1',
      relayFee: null,
      received: '5',
      warnings: [],
    };
    const state = replay([{ type: 'withdrawal-planned', plan }]);
    expect(state.withdrawalPlan).toBe(plan);
    expect(reduceDashboard(state, { type: 'withdrawal-planned', plan: null }).withdrawalPlan).toBeNull();
  });

  it('keeps the desktop facts and the route', () => {
    const state = replay([
      { type: 'desktop-facts-received', facts: { logFolder: '/home/ada/.local/share/idlehive/logs' } },
      { type: 'route-changed', route: 'schedule' },
    ]);
    expect(state).toMatchObject({ route: 'schedule', desktopFacts: { logFolder: expect.stringContaining('logs') } });
    expect(reduceDashboard(state, { type: 'route-changed', route: 'schedule' })).toBe(state);
  });

  it('does not mutate the previous state', () => {
    const before = { ...INITIAL_DASHBOARD_STATE };
    reduceDashboard(INITIAL_DASHBOARD_STATE, { type: 'status-received', status: statusFixture() });
    expect(INITIAL_DASHBOARD_STATE).toEqual(before);
  });
});

describe('reduceDashboard: the owner’s actions', () => {
  it('marks an action pending and clears an earlier error', () => {
    const failed = replay([
      { type: 'action-started', action: 'pause-1h' },
      { type: 'action-failed', action: 'pause-1h', message: 'No.' },
    ]);
    expect(failed).toMatchObject({ pendingAction: null, actionError: 'No.', failedAction: 'pause-1h' });
    const retried = reduceDashboard(failed, { type: 'action-started', action: 'pause-1h' });
    expect(retried).toMatchObject({ pendingAction: 'pause-1h', actionError: null, failedAction: null });
  });

  it('clears pending on success', () => {
    const state = replay([
      { type: 'action-started', action: 'resume' },
      { type: 'action-succeeded', action: 'resume' },
    ]);
    expect(state.pendingAction).toBeNull();
  });

  it('leaves a different pending action alone when an older one finishes', () => {
    const started = replay([{ type: 'action-started', action: 'set-theme' }]);
    expect(reduceDashboard(started, { type: 'action-succeeded', action: 'resume' }).pendingAction).toBe('set-theme');
    const failed = reduceDashboard(started, { type: 'action-failed', action: 'resume', message: 'x' });
    expect(failed).toMatchObject({ pendingAction: 'set-theme', actionError: 'x' });
  });
});

describe('createDashboardStore', () => {
  it('applies dispatched events through the reducer', () => {
    const store = createDashboardStore();
    const status = statusFixture({ state: 'earning' });
    store.getState().dispatch({ type: 'connected' });
    store.getState().dispatch({ type: 'status-received', status });
    expect(store.getState()).toMatchObject({ connection: 'connected', status });
  });
});
