import { describe, expect, it, vi } from 'vitest';
import { LocalApiCallError } from '../../agent/local-api/client.ts';
import { defaultSchedulerPolicy } from '../../agent/scheduler/policy.ts';
import { createAgentActions, OVERRIDE_REQUESTS } from './agent-actions.ts';
import type { DashboardEvent } from './store/dashboard-reducer.ts';
import { fakeConnection } from './test-support/fake-connection.ts';
import { settingsFixture, statusFixture } from './test-support/fixtures.ts';

const paused = statusFixture({ state: 'paused', override: { kind: 'pause', until: null, setAt: 1 } });

function setup(answer: Parameters<typeof fakeConnection>[0], connected = true) {
  const connection = fakeConnection(answer);
  const events: DashboardEvent[] = [];
  const actions = createAgentActions({ current: () => (connected ? connection : null) }, (event) => events.push(event));
  return { connection, events, actions };
}

describe('createAgentActions', () => {
  it.each([
    ['pause-15m', { kind: 'pause-for', durationSeconds: 900 }],
    ['pause-1h', { kind: 'pause-for', durationSeconds: 3600 }],
    ['pause-until-tomorrow', { kind: 'pause-until-tomorrow' }],
    ['pause-until-resumed', { kind: 'pause-until-resumed' }],
    ['earn-30m', { kind: 'earn-now', durationSeconds: 1800 }],
    ['earn-1h', { kind: 'earn-now', durationSeconds: 3600 }],
    ['earn-2h', { kind: 'earn-now', durationSeconds: 7200 }],
    ['finish-then-pause', { kind: 'finish-then-pause' }],
  ] as const)('%s asks control.override for %o and stores the returned status', async (action, request) => {
    const { connection, events, actions } = setup(async () => paused);
    await actions.override(action);
    expect(connection.calls).toEqual([{ method: 'control.override', params: { request } }]);
    expect(events).toEqual([
      { type: 'action-started', action },
      { type: 'status-received', status: paused },
      { type: 'action-succeeded', action },
    ]);
  });

  it('resume calls control.resume', async () => {
    const earning = statusFixture({ state: 'earning' });
    const { connection, events, actions } = setup(async () => earning);
    await actions.resume();
    expect(connection.calls).toEqual([{ method: 'control.resume', params: {} }]);
    expect(events).toContainEqual({ type: 'status-received', status: earning });
  });

  it('setTheme sends only the theme and stores the returned settings', async () => {
    const settings = settingsFixture({ theme: 'dark' });
    const { connection, events, actions } = setup(async () => settings);
    await actions.setTheme('dark');
    expect(connection.calls).toEqual([{ method: 'settings.set', params: { patch: { theme: 'dark' } } }]);
    expect(events).toContainEqual({ type: 'settings-received', settings });
  });

  it('skipping the first run is saved in the agent before the steps close', async () => {
    const skipped = settingsFixture({ firstRun: 'skipped' });
    const { connection, events, actions } = setup(async () => skipped);
    await actions.skipFirstRun();
    expect(connection.calls).toEqual([{ method: 'settings.set', params: { patch: { firstRun: 'skipped' } } }]);
    expect(events.slice(-2)).toEqual([
      { type: 'action-succeeded', action: 'skip-first-run' },
      { type: 'first-run-ended' },
    ]);
  });

  it('a refused skip keeps the steps open, with the agent’s sentence', async () => {
    const { events, actions } = setup(async () => {
      throw new LocalApiCallError('internal', 'The ledger is busy; try again.');
    });
    await actions.skipFirstRun();
    expect(events).not.toContainEqual({ type: 'first-run-ended' });
    expect(events.at(-1)).toMatchObject({ type: 'action-failed', action: 'skip-first-run' });
  });

  it('Start earning ends any override, then records the first run as finished', async () => {
    const earning = statusFixture({ state: 'earning' });
    const finished = settingsFixture({ firstRun: 'finished' });
    const { connection, events, actions } = setup(async (method) => (method === 'control.resume' ? earning : finished));
    await actions.startEarning();
    expect(connection.calls).toEqual([
      { method: 'control.resume', params: {} },
      { method: 'settings.set', params: { patch: { firstRun: 'finished' } } },
    ]);
    expect(events.at(-1)).toEqual({ type: 'first-run-ended' });
  });

  it('choosing a chart range asks the agent for that range', async () => {
    const { connection, events, actions } = setup(async (_method, params) => ({
      range: (params as { range: string }).range,
      bucketSize: 'hour',
      timeZone: 'UTC',
      now: 1,
      buckets: [],
      total: '0',
      jobs: 0,
    }));
    actions.selectEarningsRange('24h');
    expect(events[0]).toEqual({ type: 'earnings-range-selected', range: '24h' });
    expect(connection.calls).toEqual([{ method: 'earnings.series', params: { range: '24h' } }]);
    await vi.waitFor(() => expect(events.at(-1)).toMatchObject({ type: 'earnings-series-received' }));
  });

  it('shows the agent’s error sentence when a call fails', async () => {
    const { events, actions } = setup(async () => {
      throw new LocalApiCallError('invalid_params', 'durationSeconds must be more than 0');
    });
    await actions.override('pause-1h');
    expect(events.at(-1)).toEqual({
      type: 'action-failed',
      action: 'pause-1h',
      message: 'durationSeconds must be more than 0',
    });
  });

  it('every override request is one the agent’s contract accepts', async () => {
    const { OwnerOverrideRequestSchema } = await import('../../agent/scheduler/owner-override.ts');
    for (const request of Object.values(OVERRIDE_REQUESTS)) {
      expect(OwnerOverrideRequestSchema.safeParse(request).success).toBe(true);
    }
  });

  it('savePolicy sends the patch, stores the returned policy and resolves to it', async () => {
    const policy = defaultSchedulerPolicy('UTC');
    const { connection, events, actions } = setup(async () => policy);
    expect(await actions.savePolicy({ idleMinutes: 7 })).toBe(policy);
    expect(connection.calls).toEqual([{ method: 'scheduler.policy.set', params: { patch: { idleMinutes: 7 } } }]);
    expect(events).toContainEqual({ type: 'policy-received', policy });
  });

  it('savePolicy and saveSettings resolve to null when the agent refuses', async () => {
    const refuse = async () => {
      throw new LocalApiCallError('invalid-scheduler-policy', 'The scheduling settings are not valid: no.');
    };
    const { events, actions } = setup(refuse);
    expect(await actions.savePolicy({ idleMinutes: 0 })).toBeNull();
    expect(events.at(-1)).toMatchObject({ type: 'action-failed', action: 'save-policy' });
    expect(await actions.saveSettings({ coordinatorUrl: 'x' })).toBeNull();
    expect(events.at(-1)).toMatchObject({ type: 'action-failed', action: 'save-settings' });
  });

  it('saveSettings sends the patch and stores the returned settings', async () => {
    const settings = settingsFixture({ coordinatorUrl: 'https://coordinator.example' });
    const { connection, events, actions } = setup(async () => settings);
    expect(await actions.saveSettings({ coordinatorUrl: 'https://coordinator.example' })).toBe(settings);
    expect(connection.calls[0]?.method).toBe('settings.set');
    expect(events).toContainEqual({ type: 'settings-received', settings });
  });

  it('unlockWallet sends the password once, records the unlocked address, then asks for the wallet again', async () => {
    const wallet = {
      wallet: { address: '0xabc', mode: 'keystore', keychain: false },
      readiness: 'ready',
      withdrawals: [],
    };
    const { connection, events, actions } = setup(async (method) =>
      method === 'wallet.unlock' ? { address: '0xabc' } : wallet,
    );
    await actions.unlockWallet('secret words');
    expect(connection.calls[0]).toEqual({ method: 'wallet.unlock', params: { password: 'secret words' } });
    expect(events).toContainEqual({ type: 'wallet-unlocked', address: '0xabc' });
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'wallet-received', wallet }));
  });

  it('withdraw confirms the fee the plan showed and clears the plan once started', async () => {
    const plan = {
      kind: 'relayed' as const,
      recipient: '0xa',
      amount: '10',
      maxGasCost: null,
      relayFee: '2',
      received: '8',
      warnings: [],
    };
    const progress = { id: 1, state: 'prepared' };
    const { connection, events, actions } = setup(async () => progress);
    await actions.withdraw(plan, '0xb');
    expect(connection.calls).toEqual([{ method: 'wallet.withdraw', params: { maxFee: '2', to: '0xb' } }]);
    expect(events).toContainEqual({ type: 'withdrawal-planned', plan: null });
  });

  it('speedUpWithdrawal asks the agent to replace that withdrawal and stores its progress', async () => {
    const progress = { id: 4, state: 'sent', speedUps: 1 };
    const { connection, events, actions } = setup(async () => progress);
    await actions.speedUpWithdrawal(4);
    expect(connection.calls).toEqual([{ method: 'wallet.withdraw.speedUp', params: { id: 4 } }]);
    expect(events).toEqual([
      { type: 'action-started', action: 'speed-up-withdrawal' },
      { type: 'withdrawal-progressed', progress },
      { type: 'action-succeeded', action: 'speed-up-withdrawal' },
    ]);
  });

  it('withdraw refuses to confirm a plan whose fee is unknown, without calling', async () => {
    const plan = {
      kind: 'claim' as const,
      recipient: '0xa',
      amount: '10',
      maxGasCost: null,
      relayFee: null,
      received: '10',
      warnings: [],
    };
    const { connection, events, actions } = setup(async () => ({}));
    await actions.withdraw(plan, undefined);
    expect(connection.calls).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'action-failed', action: 'withdraw' });
  });

  it('fails without calling when there is no connection', async () => {
    const { connection, events, actions } = setup(async () => paused, false);
    await actions.resume();
    expect(connection.calls).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'action-failed', action: 'resume' });
  });
});
