/**
 * A small real network for tests and benchmarks: a coordinator in this
 * process, a requester that submits a long training job, and a real agent
 * process with a wallet (keystore only, no OS keychain) pointed at the
 * coordinator. The agent still needs its wallet unlocked and an idle owner
 * before it leases the job.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { connectLocalApi, type LocalApiConnection } from '../../agent/local-api/client.ts';
import type { Status } from '../../agent/local-api/contract.ts';
import { createWallet } from '../../agent/wallet/wallet-keys.ts';
import { blobRefOf } from '../../native/jobs/blob-ref.ts';
import { irisTrainingJob } from '../../native/jobs/examples/iris-jobs.ts';
import { RequesterClient } from '../../network/client/requester-client.ts';
import { type RunningCoordinator, startCoordinator } from '../../network/coordinator/start-coordinator.ts';
import { type AgentProcess, makeTempHome, startAgentProcess, waitFor } from './agent-process.ts';

export const WALLET_PASSWORD = 'correct horse battery staple';
const NO_KEYCHAIN = { store: () => false, read: () => null, remove: () => {} };

export interface ProviderNetwork {
  coordinator: RunningCoordinator;
  agent: AgentProcess;
  api: LocalApiConnection;
  /** Reports the owner's idle time as the desktop shell does. */
  reportIdle(idleSeconds: number): Promise<unknown>;
  /** Resolves with the first status (current or pushed) that passes the test. */
  statusWhere(test: (status: Status) => boolean, what: string, timeoutMs?: number): Promise<Status>;
  stop(): Promise<void>;
}

/** Submits training jobs long enough to keep a worker busy for minutes, checkpointing often. */
async function submitLongTrainingJobs(coordinatorUrl: string, count: number): Promise<void> {
  const requester = await RequesterClient.register({ baseUrl: coordinatorUrl, wallet: Wallet.createRandom() });
  const blobs: Uint8Array[] = [];
  const put = (bytes: Uint8Array) => {
    blobs.push(bytes);
    return blobRefOf(bytes);
  };
  for (let index = 0; index < count; index += 1) {
    const spec = {
      ...irisTrainingJob(put, { steps: 200_000, jobId: `long-training-${index}` }),
      checkpointInterval: 100,
    };
    await requester.submit({ spec, offer: { unit: 'device-second', maxPricePerUnit: '1000' } }, blobs);
  }
}

/** `jobs`: how many long jobs wait in the queue (a benchmark keeps going if one fails under load). */
export async function startProviderNetwork(options: { jobs?: number } = {}): Promise<ProviderNetwork> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-network-'));
  const coordinator = await startCoordinator({ dataDir, port: 0 });
  await submitLongTrainingJobs(coordinator.url, options.jobs ?? 1);
  const home = makeTempHome();
  await createWallet(home, WALLET_PASSWORD, NO_KEYCHAIN);
  process.env.IDLEHIVE_KEYCHAIN = 'off';
  const agent = await startAgentProcess(home);
  const api = await connectLocalApi({ url: agent.endpoint.apiUrl, token: agent.endpoint.token });
  await api.call('settings.set', { patch: { coordinatorUrl: coordinator.url } });
  // What runs here is about the owner's presence; on a shared test machine other programs often keep the CPU
  // busy, which would (rightly) pause earning. The busy-CPU rule has its own tests.
  await api.call('scheduler.policy.set', { patch: { cpuBusyPercent: null } });
  return {
    coordinator,
    agent,
    api,
    reportIdle: (idleSeconds) =>
      api.call('signals.shell.report', { signals: { hasInputSource: true, idleSeconds, isOnBattery: false } }),
    async statusWhere(test, what, timeoutMs = 30_000) {
      // Listen first: an event that arrives with the answer to status.get must not be missed.
      let pushed: Status | null = null;
      const off = api.on('status', (status) => {
        pushed = status;
      });
      const answered = await api.call('status.get', {});
      let latest: Status = pushed ?? answered;
      const offLatest = api.on('status', (status) => {
        latest = status;
      });
      try {
        return await waitFor(() => (test(latest) ? latest : null), timeoutMs, what);
      } finally {
        off();
        offLatest();
      }
    },
    async stop() {
      api.close();
      await agent.stop();
      await coordinator.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
