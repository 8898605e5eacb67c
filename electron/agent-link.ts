/**
 * Electron main's own local API client, for the tray. Like every UI it holds
 * no state the agent does not push: it reads the endpoint file, connects,
 * forwards status, settings, earnings and withdrawal progress, and on loss
 * re-reads the file (a restarted agent has a new port and token) and
 * reconnects with the shared backoff.
 */
import { type LocalApiConnection, reconnectDelayMs } from '../agent/local-api/client.ts';
import type { EarningsByDay, Settings, Status, WithdrawalProgress } from '../agent/local-api/contract.ts';
import type { AgentEndpoint } from './agent-endpoint-file.ts';

export interface AgentLinkOptions {
  readEndpoint(): Promise<AgentEndpoint | null>;
  connect(target: { url: string; token: string }): Promise<LocalApiConnection>;
  /** The newest status, or null while there is no connection. */
  onStatus(status: Status | null): void;
  /** The settings on each connect and on every change (main applies start-at-login from them). */
  onSettings?(settings: Settings): void;
  /** Verified rewards per local day, on each connect and whenever a job is credited (the tray's "earned today"). */
  onEarnings?(earnings: EarningsByDay): void;
  /** Each withdrawal's progress as the agent pushes it (notifications on confirmed or failed). */
  onWithdrawal?(progress: WithdrawalProgress): void;
  /** After each failed attempt, with how many failed in a row; main uses it to start an agent when none answers. */
  onFailure?(consecutiveFailures: number): void;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  random?: () => number;
}

export interface AgentLink {
  current(): LocalApiConnection | null;
  stop(): void;
}

export function startAgentLink(options: AgentLinkOptions): AgentLink {
  const stopper = new AbortController();
  let live: LocalApiConnection | null = null;

  const run = async () => {
    let failures = 0;
    while (!stopper.signal.aborted) {
      let connection: LocalApiConnection | null = null;
      try {
        const endpoint = await options.readEndpoint();
        if (endpoint !== null) connection = await options.connect({ url: endpoint.apiUrl, token: endpoint.token });
      } catch {
        connection = null; // Unreadable file or refused connection: both mean "try again shortly".
      }
      if (stopper.signal.aborted) {
        connection?.close();
        return;
      }
      if (connection !== null) {
        failures = 0;
        live = connection;
        const offStatus = connection.on('status', (status) => options.onStatus(status));
        const offSettings = connection.on('settings', (settings) => options.onSettings?.(settings));
        const offEarnings = connection.on('earnings', (earnings) => options.onEarnings?.(earnings));
        const offWithdrawal = connection.on('wallet.withdrawal', (progress) => options.onWithdrawal?.(progress));
        connection.call('status.get', {}).then(
          (status) => options.onStatus(status),
          () => {}, // The socket is closing; `closed` below handles it.
        );
        if (options.onSettings !== undefined) {
          const onSettings = options.onSettings;
          connection.call('settings.get', {}).then(onSettings, () => {});
        }
        if (options.onEarnings !== undefined) {
          const onEarnings = options.onEarnings;
          // An agent from before earnings.days refuses it; the tray then shows no earnings line.
          connection.call('earnings.days', {}).then(onEarnings, () => {});
        }
        await connection.closed;
        offStatus();
        offSettings();
        offEarnings();
        offWithdrawal();
        live = null;
        if (stopper.signal.aborted) return;
        options.onStatus(null);
      } else {
        failures += 1;
        options.onFailure?.(failures);
      }
      try {
        await options.sleep(reconnectDelayMs(Math.max(0, failures - 1), options.random), stopper.signal);
      } catch {
        return;
      }
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

/** True when an agent already answers at the endpoint file's address (one started by `idlehive agent`, say). */
export async function isAgentAnswering(
  readEndpoint: () => Promise<AgentEndpoint | null>,
  connect: (target: { url: string; token: string; timeoutMs: number }) => Promise<LocalApiConnection>,
  timeoutMs = 1500,
): Promise<boolean> {
  try {
    const endpoint = await readEndpoint();
    if (endpoint === null) return false;
    const connection = await connect({ url: endpoint.apiUrl, token: endpoint.token, timeoutMs });
    connection.close();
    return true;
  } catch {
    return false;
  }
}
