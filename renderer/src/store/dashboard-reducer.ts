/**
 * The dashboard's state and the one pure function that changes it. The store
 * holds only what the agent pushed or answered: no component fetches, polls or
 * keeps its own copy, so what the screen shows is what the agent said last.
 */
import type { Settings, Status } from '../../../agent/local-api/contract.ts';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized';

/** Why the agent will not talk to this page: no token at all, or one it refused. */
export type UnauthorizedReason = 'missing-token' | 'rejected-token';

/** The owner's requests that can be in flight; each disables the controls while it runs. */
export type DashboardAction = 'pause-15m' | 'pause-1h' | 'pause-until-resumed' | 'resume' | 'set-theme';

export interface DashboardState {
  connection: ConnectionState;
  unauthorizedReason: UnauthorizedReason | null;
  /** The last status the agent sent; kept while reconnecting so the screen does not go blank. */
  status: Status | null;
  settings: Settings | null;
  pendingAction: DashboardAction | null;
  /** The sentence to show after a request failed; cleared by the next request. */
  actionError: string | null;
  /** Connection losses and failed attempts since the last successful connect. */
  failedAttempts: number;
}

export type DashboardEvent =
  | { type: 'connected' }
  | { type: 'disconnected' }
  | { type: 'unauthorized'; reason: UnauthorizedReason }
  | { type: 'status-received'; status: Status }
  | { type: 'settings-received'; settings: Settings }
  | { type: 'action-started'; action: DashboardAction }
  | { type: 'action-succeeded'; action: DashboardAction }
  | { type: 'action-failed'; action: DashboardAction; message: string };

export const INITIAL_DASHBOARD_STATE: DashboardState = {
  connection: 'connecting',
  unauthorizedReason: null,
  status: null,
  settings: null,
  pendingAction: null,
  actionError: null,
  failedAttempts: 0,
};

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
        failedAttempts: state.failedAttempts + 1,
      };
    case 'unauthorized':
      return { ...state, connection: 'unauthorized', unauthorizedReason: event.reason, pendingAction: null };
    case 'status-received':
      return { ...state, status: event.status };
    case 'settings-received':
      return { ...state, settings: event.settings };
    case 'action-started':
      return { ...state, pendingAction: event.action, actionError: null };
    case 'action-succeeded':
      return state.pendingAction === event.action ? { ...state, pendingAction: null } : state;
    case 'action-failed':
      return {
        ...state,
        pendingAction: state.pendingAction === event.action ? null : state.pendingAction,
        actionError: event.message,
      };
  }
}
