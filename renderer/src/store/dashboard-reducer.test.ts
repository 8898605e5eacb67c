import { describe, expect, it } from 'vitest';
import { settingsFixture, statusFixture } from '../test-support/fixtures.ts';
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
    expect(failed).toMatchObject({ pendingAction: null, actionError: 'No.' });
    const retried = reduceDashboard(failed, { type: 'action-started', action: 'pause-1h' });
    expect(retried).toMatchObject({ pendingAction: 'pause-1h', actionError: null });
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
