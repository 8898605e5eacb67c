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
import type { LocalApiConnection } from '../../agent/local-api/client.ts';
import type { Status } from '../../agent/local-api/contract.ts';
import { blobRefOf } from '../../native/jobs/blob-ref.ts';
import { irisTrainingJob } from '../../native/jobs/examples/iris-jobs.ts';
import { RequesterClient } from '../../network/client/requester-client.ts';
import { type RunningCoordinator, startCoordinator } from '../../network/coordinator/start-coordinator.ts';
import { type AgentProcess, waitFor } from './agent-process.ts';
import { makeWalletHome, startNetworkAgent } from './network-agent.ts';

export { WALLET_PASSWORD } from './network-agent.ts';

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
  const networkAgent = await startNetworkAgent(await makeWalletHome(), coordinator.url);
  const { agent, api, reportIdle } = networkAgent;
  return {
    coordinator,
    agent,
    api,
    reportIdle,
    async statusWhere(test, what, timeoutMs = 30_000) {
      // Listen first: an event that arrives with the answer to status.get is newer than that answer.
      let latest: Status | null = null;
      const off = api.on('status', (status) => {
        latest = status;
      });
      const answered = await api.call('status.get', {});
      latest ??= answered;
      try {
        return await waitFor(() => (latest !== null && test(latest) ? latest : null), timeoutMs, what);
      } finally {
        off();
      }
    },
    async stop() {
      await networkAgent.stop();
      await coordinator.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
