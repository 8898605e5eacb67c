/**
 * Keeps the dashboard connected to the agent. The agent owns all state; this
 * loop only connects, forwards pushed events and call results to the store,
 * and reconnects with backoff when the agent restarts. It runs once per page,
 * outside React, so no component ever opens a socket or polls.
 */
import { type LocalApiConnection, reconnectDelayMs } from '../../agent/local-api/client.ts';
import { type EarningsRange, TOKEN_CHECK_HEADER, TOKEN_CHECK_PATH } from '../../agent/local-api/contract.ts';
import type { DashboardEvent } from './store/dashboard-reducer.ts';
import { createTimelineFollower } from './timeline/timeline-loader.ts';

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
   * Asked after a connect failed: true when the agent is up and refuses this
   * token. A browser hides why a WebSocket handshake failed, so this asks the
   * agent another way; false means "agent not reachable", which is retried.
   */
  isTokenRefused(endpoint: AgentEndpoint): Promise<boolean>;
  dispatch(event: DashboardEvent): void;
  /** The range the Earnings chart shows now (the store's), asked for on connect and after each credit. */
  earningsRange(): EarningsRange;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  random?: () => number;
  now?: () => number;
  timers?: { set(callback: () => void, ms: number): unknown; clear(handle: unknown): void };
}

/** The most jobs the agent lists at once; the Earnings screen says its totals cover these. */
export const JOBS_SHOWN = 1000;

const defaultTimers = {
  set: (callback: () => void, ms: number): unknown => setTimeout(callback, ms),
  clear: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface AgentSession {
  /** The open connection, or null between connections. */
  current(): LocalApiConnection | null;
  stop(): void;
}

export function startAgentSession(deps: AgentConnectionDeps): AgentSession {
  const stopper = new AbortController();
  let live: LocalApiConnection | null = null;

  const serve = async (connection: LocalApiConnection) => {
    // Today is the owner's day, in the policy's zone; the timeline follows the policy.
    const timeline = createTimelineFollower({
      connection,
      onTimeline: (today) => deps.dispatch({ type: 'timeline-received', timeline: today }),
      now: deps.now ?? Date.now,
      timers: deps.timers ?? defaultTimers,
    });
    const unsubscribe = [
      connection.on('status', (status) => deps.dispatch({ type: 'status-received', status })),
      connection.on('settings', (settings) => deps.dispatch({ type: 'settings-received', settings })),
      connection.on('jobs', (jobs) => deps.dispatch({ type: 'jobs-pushed', jobs })),
      // Sent when a job's payment state changed or the zone did: the chart's buckets and the totals are asked for again.
      connection.on('earnings', (view) => {
        deps.dispatch({ type: 'earnings-by-day-received', view });
        loadEarningsSeries(connection, deps.dispatch, deps.earningsRange());
        loadEarningsTotals(connection, deps.dispatch);
      }),
      connection.on('wallet.withdrawal', (progress) => {
        deps.dispatch({ type: 'withdrawal-progressed', progress });
        // A finished withdrawal moved tokens: the balances are worth asking for again, once.
        if (progress.state === 'confirmed' || progress.state === 'failed') loadBalance(connection, deps.dispatch);
      }),
      connection.on('benchmark.progress', (progress) => deps.dispatch({ type: 'benchmark-progressed', progress })),
      connection.on('benchmark.finished', (finished) => {
        deps.dispatch({ type: 'benchmark-finished', finished });
        loadBenchmarkHistory(connection, deps.dispatch);
      }),
      connection.on('policy', (policy) => {
        deps.dispatch({ type: 'policy-received', policy });
        timeline.follow(policy.timeZone);
      }),
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
    loadWallet(connection, deps.dispatch);
    loadDevices(connection, deps.dispatch, false);
    loadEarningsSeries(connection, deps.dispatch, deps.earningsRange());
    loadEarningsTotals(connection, deps.dispatch);
    connection.call('jobs.list', { limit: JOBS_SHOWN }).then(
      (jobs) => deps.dispatch({ type: 'jobs-received', jobs }),
      () => {},
    );
    connection.call('scheduler.policy.get', {}).then(
      (policy) => {
        deps.dispatch({ type: 'policy-received', policy });
        timeline.follow(policy.timeZone);
      },
      () => {},
    );
    await connection.closed;
    live = null;
    timeline.stop();
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
        } else if (await deps.isTokenRefused(endpoint)) {
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

/** The wallet's status and balances; asked on connect, after a withdrawal ends, and when the Wallet screen opens. */
export function loadWallet(connection: Pick<LocalApiConnection, 'call'>, dispatch: (event: DashboardEvent) => void) {
  connection.call('wallet.status', {}).then(
    (wallet) => dispatch({ type: 'wallet-received', wallet }),
    () => {}, // The socket is closing; the next connection asks again.
  );
  loadBalance(connection, dispatch);
}

/** The device report (probed again when `refresh`) and the newest benchmark report. */
export function loadDevices(
  connection: Pick<LocalApiConnection, 'call'>,
  dispatch: (event: DashboardEvent) => void,
  refresh: boolean,
) {
  connection.call('devices.get', { refresh }).then(
    (devices) => dispatch({ type: 'devices-received', devices }),
    (error: unknown) => dispatch({ type: 'devices-unavailable', message: errorSentence(error) }),
  );
  connection.call('benchmark.latest', {}).then(
    (report) => dispatch({ type: 'benchmark-latest-received', report }),
    () => {}, // The socket is closing; the next connection asks again.
  );
  loadBenchmarkHistory(connection, dispatch);
}

/** How many past benchmark runs the Devices screen lists. */
export const BENCHMARK_RUNS_SHOWN = 10;

function loadBenchmarkHistory(connection: Pick<LocalApiConnection, 'call'>, dispatch: (event: DashboardEvent) => void) {
  connection.call('benchmark.history', { limit: BENCHMARK_RUNS_SHOWN }).then(
    (history) => dispatch({ type: 'benchmark-history-received', history }),
    () => {}, // The socket is closing; the next connection asks again.
  );
}

/** The Earnings chart's buckets for a range; asked on connect, on each earnings event and when the range changes. */
export function loadEarningsSeries(
  connection: Pick<LocalApiConnection, 'call'>,
  dispatch: (event: DashboardEvent) => void,
  range: EarningsRange,
) {
  connection.call('earnings.series', { range }).then(
    (series) => dispatch({ type: 'earnings-series-received', series }),
    (error: unknown) =>
      dispatch({
        type: 'earnings-series-unavailable',
        range,
        message: errorSentence(error),
      }),
  );
}

/**
 * The Earnings screen's totals over the whole ledger; asked on connect, on each earnings event and when the
 * screen opens (its periods end at the moment the agent answered).
 */
export function loadEarningsTotals(
  connection: Pick<LocalApiConnection, 'call'>,
  dispatch: (event: DashboardEvent) => void,
) {
  connection.call('earnings.totals', {}).then(
    (totals) => dispatch({ type: 'earnings-totals-received', totals }),
    (error: unknown) =>
      dispatch({
        type: 'earnings-totals-unavailable',
        message: errorSentence(error),
      }),
  );
}

/** What a failed call said, as the sentence the screens show. */
export function errorSentence(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function loadBalance(connection: Pick<LocalApiConnection, 'call'>, dispatch: (event: DashboardEvent) => void) {
  connection.call('wallet.balance', {}).then(
    (balance) => dispatch({ type: 'balance-received', balance }),
    (error: unknown) => dispatch({ type: 'balance-unavailable', message: errorSentence(error) }),
  );
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
 * The agent's token check (same origin as the page the agent served): 401
 * means the agent runs and this token is wrong; no answer means it is down.
 */
export async function isTokenRefusedByAgent(token: string, fetchPage: typeof fetch = fetch): Promise<boolean> {
  try {
    const response = await fetchPage(TOKEN_CHECK_PATH, {
      headers: { [TOKEN_CHECK_HEADER]: token },
      cache: 'no-store',
      signal: AbortSignal.timeout(3000),
    });
    return response.status === 401;
  } catch {
    return false;
  }
}
