/**
 * The owner's requests to the agent. Each one marks itself pending in the
 * store, and its answer (the new status or settings) goes into the store the
 * same way a pushed event does, so the screen never shows a guess.
 */
import type { LocalApiConnection } from '../../agent/local-api/client.ts';
import type { OwnerOverrideRequest, Settings } from '../../agent/local-api/contract.ts';
import type { DashboardAction, DashboardEvent } from './store/dashboard-reducer.ts';

export type PauseAction = Extract<DashboardAction, 'pause-15m' | 'pause-1h' | 'pause-until-resumed'>;

/** How long each pause choice lasts; undefined means until the owner resumes. */
export const PAUSE_DURATION_SECONDS: Record<PauseAction, number | undefined> = {
  'pause-15m': 15 * 60,
  'pause-1h': 60 * 60,
  'pause-until-resumed': undefined,
};

export interface AgentActions {
  pause(action: PauseAction): Promise<void>;
  resume(): Promise<void>;
  setTheme(theme: Settings['theme']): Promise<void>;
}

const NOT_CONNECTED = 'Not connected to the Idlehive agent. Try again once the connection is back.';

export function createAgentActions(
  session: { current(): LocalApiConnection | null },
  dispatch: (event: DashboardEvent) => void,
): AgentActions {
  const run = async (action: DashboardAction, request: (connection: LocalApiConnection) => Promise<DashboardEvent>) => {
    dispatch({ type: 'action-started', action });
    const connection = session.current();
    if (connection === null) {
      dispatch({ type: 'action-failed', action, message: NOT_CONNECTED });
      return;
    }
    try {
      dispatch(await request(connection));
      dispatch({ type: 'action-succeeded', action });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      dispatch({ type: 'action-failed', action, message });
    }
  };

  return {
    pause: (action) => {
      const durationSeconds = PAUSE_DURATION_SECONDS[action];
      const request: OwnerOverrideRequest =
        durationSeconds === undefined ? { kind: 'pause-until-resumed' } : { kind: 'pause-for', durationSeconds };
      return run(action, async (connection) => ({
        type: 'status-received',
        status: await connection.call('control.override', { request }),
      }));
    },
    resume: () =>
      run('resume', async (connection) => ({
        type: 'status-received',
        status: await connection.call('control.resume', {}),
      })),
    setTheme: (theme) =>
      run('set-theme', async (connection) => ({
        type: 'settings-received',
        settings: await connection.call('settings.set', { patch: { theme } }),
      })),
  };
}
