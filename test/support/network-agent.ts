/**
 * A real agent process set up to work for a coordinator, the way an owner
 * would: a wallet in its home (keystore only, no OS keychain), the
 * coordinator in its settings, the busy-CPU rule off, and, on request, the
 * wallet unlocked and an away owner reported at the cadence the agent asks
 * for (every 100 ms while earning), as the desktop shell does. The same home
 * can be started again after a kill: settings live in its ledger, the
 * unlocked key does not.
 */
import { connectLocalApi, type LocalApiConnection } from '../../agent/local-api/client.ts';
import { createWallet } from '../../agent/wallet/wallet-keys.ts';
import { type AgentProcess, makeTempHome, startAgentProcess } from './agent-process.ts';

export const WALLET_PASSWORD = 'correct horse battery staple';
const NO_KEYCHAIN = { store: () => false, read: () => null, remove: () => {} };
/** What the shell waits when the agent's answer did not arrive (it was busy or gone). */
const SLOW_REPORT_MS = 2000;

/** A fresh home holding a wallet; agents started from here never touch the OS keychain. */
export async function makeWalletHome(prefix?: string): Promise<string> {
  const home = makeTempHome(prefix);
  await createWallet(home, WALLET_PASSWORD, NO_KEYCHAIN);
  process.env.IDLEHIVE_KEYCHAIN = 'off';
  return home;
}

export interface NetworkAgent {
  agent: AgentProcess;
  api: LocalApiConnection;
  /** Reports the owner's idle time as the desktop shell does. */
  reportIdle(idleSeconds: number): Promise<unknown>;
  /** Unlocks the wallet in the agent; resolves with its address. */
  unlock(): Promise<string>;
  /** Reports an away owner from now on, as often as the agent asks. */
  stayAway(): void;
  /** SIGTERM and wait. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

export async function startNetworkAgent(
  home: string,
  coordinatorUrl: string,
  options: { startTimeoutMs?: number } = {},
): Promise<NetworkAgent> {
  const agent = await startAgentProcess(home, ['--port', '0'], options.startTimeoutMs);
  const api = await connectLocalApi({ url: agent.endpoint.apiUrl, token: agent.endpoint.token });
  await api.call('settings.set', { patch: { coordinatorUrl } });
  // What runs here is about the owner's presence; on a shared test machine other programs often keep the CPU
  // busy, which would (rightly) pause earning. The busy-CPU rule has its own tests.
  await api.call('scheduler.policy.set', { patch: { cpuBusyPercent: null } });
  const reportIdle = (idleSeconds: number) =>
    api.call('signals.shell.report', { signals: { hasInputSource: true, idleSeconds, isOnBattery: false } });
  let shell: NodeJS.Timeout | undefined;
  let reporting = false;
  const report = async () => {
    let everyMs = SLOW_REPORT_MS;
    try {
      everyMs = (await reportIdle(3600)).reportEveryMs;
    } catch {
      // The agent is gone or busy; the next report says the same.
    }
    if (reporting) shell = setTimeout(report, everyMs);
  };
  const quiet = () => {
    reporting = false;
    clearTimeout(shell);
    api.close();
  };
  return {
    agent,
    api,
    reportIdle,
    async unlock() {
      return (await api.call('wallet.unlock', { password: WALLET_PASSWORD })).address;
    },
    stayAway() {
      if (reporting) return;
      reporting = true;
      void report();
    },
    async stop() {
      quiet();
      return agent.stop();
    },
    async kill() {
      quiet();
      await agent.kill();
    },
  };
}
