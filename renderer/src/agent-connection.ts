/**
 * Keeps the dashboard connected to the agent. The agent owns all state; this
 * loop only connects, forwards pushed events and call results to the store,
 * and reconnects with backoff when the agent restarts. It runs once per page,
 * outside React, so no component ever opens a socket or polls.
 */
import { type LocalApiConnection, reconnectDelayMs } from '../../agent/local-api/client.ts';
import type { DashboardEvent } from './store/dashboard-reducer.ts';

export interface AgentEndpoint {
  url: string;
  token: string;
}

export interface AgentConnectionDeps {
  /**
   * Where to connect next. Null means this page has no token at all (nothing
   * to retry); a rejection means "not available yet" (the desktop app's agent
   * is still starting) and is retried like a failed connect.
   */
  getEndpoint(): Promise<AgentEndpoint | null>;
  connect(endpoint: AgentEndpoint): Promise<LocalApiConnection>;
  /**
   * Asked after a connect failed: true when the agent is up but refused this
   * page, which only a wrong token explains (a browser hides the HTTP status
   * of a refused WebSocket, so the caller checks the agent another way).
   */
  isRefusedByRunningAgent(): Promise<boolean>;
  dispatch(event: DashboardEvent): void;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  random?: () => number;
}

export interface AgentSession {
  /** The open connection, or null between connections. */
  current(): LocalApiConnection | null;
  stop(): void;
}

export function startAgentSession(deps: AgentConnectionDeps): AgentSession {
  const stopper = new AbortController();
  let live: LocalApiConnection | null = null;

  const serve = async (connection: LocalApiConnection) => {
    const unsubscribe = [
      connection.on('status', (status) => deps.dispatch({ type: 'status-received', status })),
      connection.on('settings', (settings) => deps.dispatch({ type: 'settings-received', settings })),
    ];
    live = connection;
    deps.dispatch({ type: 'connected' });
    // Status is also pushed on connect; asking too makes the first paint independent of that timing.
    // A failed call here means the socket is closing, which `closed` below reports.
    connection.call('status.get', {}).then(
      (status) => deps.dispatch({ type: 'status-received', status }),
      () => {},
    );
    connection.call('settings.get', {}).then(
      (settings) => deps.dispatch({ type: 'settings-received', settings }),
      () => {},
    );
    await connection.closed;
    live = null;
    for (const off of unsubscribe) off();
  };

  const run = async () => {
    let attempt = 0;
    while (!stopper.signal.aborted) {
      let endpoint: AgentEndpoint | null | undefined;
      try {
        endpoint = await deps.getEndpoint();
      } catch {
        endpoint = undefined;
      }
      if (endpoint === null) {
        deps.dispatch({ type: 'unauthorized', reason: 'missing-token' });
        return;
      }
      if (endpoint !== undefined) {
        let connection: LocalApiConnection | null = null;
        try {
          connection = await deps.connect(endpoint);
        } catch {
          connection = null;
        }
        if (stopper.signal.aborted) {
          connection?.close();
          return;
        }
        if (connection !== null) {
          attempt = 0;
          await serve(connection);
        } else if (await deps.isRefusedByRunningAgent()) {
          deps.dispatch({ type: 'unauthorized', reason: 'rejected-token' });
          return;
        }
      }
      if (stopper.signal.aborted) return;
      deps.dispatch({ type: 'disconnected' });
      try {
        await deps.sleep(reconnectDelayMs(attempt, deps.random), stopper.signal);
      } catch {
        return; // Aborted by stop().
      }
      attempt += 1;
    }
  };

  void run();

  return {
    current: () => live,
    stop() {
      stopper.abort();
      live?.close();
    },
  };
}

/** setTimeout as a promise that rejects when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * In the browser the page came from the agent's own HTTP server, so any HTTP
 * answer from it means the agent runs and refused the WebSocket: a wrong token.
 */
export async function agentServesThisPage(fetchPage: typeof fetch = fetch): Promise<boolean> {
  try {
    await fetchPage('./', { method: 'HEAD', cache: 'no-store', signal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  }
}
