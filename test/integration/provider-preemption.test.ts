/**
 * The whole provider path with real parts: a coordinator, a requester
 * submitting a long training job, a real agent process that signs in with its
 * wallet, leases the job and runs it in a sandboxed worker process; then the
 * owner comes back (the shell reports input) and the worker must be gone, the
 * status must say why, and the training checkpoint must survive to resume.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLocalApi, type LocalApiConnection } from '../../agent/local-api/client.ts';
import type { Status } from '../../agent/local-api/contract.ts';
import { createWallet } from '../../agent/wallet/wallet-keys.ts';
import { blobRefOf } from '../../native/jobs/blob-ref.ts';
import { irisTrainingJob } from '../../native/jobs/examples/iris-jobs.ts';
import { RequesterClient } from '../../network/client/requester-client.ts';
import { type RunningCoordinator, startCoordinator } from '../../network/coordinator/start-coordinator.ts';
import { type AgentProcess, makeTempHome, startAgentProcess, waitFor } from '../support/agent-process.ts';
import { descendantPids, isAlive } from '../support/process-tree.ts';

const PASSWORD = 'correct horse battery staple';
const NO_KEYCHAIN = { store: () => false, read: () => null, remove: () => {} };

let coordinator: RunningCoordinator;
let agent: AgentProcess;
let api: LocalApiConnection;
let keepAway: NodeJS.Timeout | undefined;
let jobId = '';
let checkpointBeforePreemption = 0;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-preempt-coordinator-'));

function reportIdle(idleSeconds: number) {
  return api.call('signals.shell.report', { signals: { hasInputSource: true, idleSeconds, isOnBattery: false } });
}

/** The owner stays away: the shell keeps reporting, as Electron does every 250 ms while earning. */
function stayAway(): void {
  clearInterval(keepAway);
  keepAway = setInterval(() => void reportIdle(600).catch(() => {}), 250);
}

beforeAll(async () => {
  coordinator = await startCoordinator({ dataDir, port: 0 });
  const requester = await RequesterClient.register({ baseUrl: coordinator.url, wallet: Wallet.createRandom() });
  const blobs: Uint8Array[] = [];
  // Long enough to be busy through the whole test; checkpoints often, so progress shows and a resume has a step to start from.
  const spec = {
    ...irisTrainingJob(
      (bytes) => {
        blobs.push(bytes);
        return blobRefOf(bytes);
      },
      { steps: 200_000 },
    ),
    checkpointInterval: 100,
  };
  await requester.submit({ spec, offer: { unit: 'device-second', maxPricePerUnit: '1000' } }, blobs);

  const home = makeTempHome();
  await createWallet(home, PASSWORD, NO_KEYCHAIN);
  process.env.IDLEHIVE_KEYCHAIN = 'off';
  agent = await startAgentProcess(home);
  api = await connectLocalApi({ url: agent.endpoint.apiUrl, token: agent.endpoint.token });
}, 60_000);

afterAll(async () => {
  clearInterval(keepAway);
  api?.close();
  await agent?.stop();
  await coordinator?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function statusWhere(test: (status: Status) => boolean, what: string, timeoutMs = 30_000): Promise<Status> {
  let latest: Status | null = null;
  const off = api.on('status', (status) => {
    latest = status;
  });
  latest = await api.call('status.get', {});
  try {
    return await waitFor(() => (latest && test(latest) ? latest : null), timeoutMs, what);
  } finally {
    off();
  }
}

describe('a provider agent on a real network', () => {
  it('says the wallet is locked until the owner unlocks it, and refuses a wrong password', async () => {
    await api.call('settings.set', { patch: { coordinatorUrl: coordinator.url } });
    await reportIdle(600);
    await statusWhere((s) => s.cause === 'wallet-locked', 'the locked-wallet reason');
    await expect(api.call('wallet.unlock', { password: 'not the password' })).rejects.toMatchObject({
      message: expect.stringMatching(/password/i),
    });
  });

  it('signs in, leases the job and earns once unlocked and idle', async () => {
    await api.call('wallet.unlock', { password: PASSWORD });
    stayAway();
    const earning = await statusWhere((s) => s.state === 'earning' && s.job !== null, 'a running job', 60_000);
    expect(earning.job).toMatchObject({ kind: 'training', jobId: expect.stringMatching(/^job_/) });
    jobId = earning.job?.jobId ?? '';
    await waitFor(() => (descendantPids(agent.child.pid as number).length > 0 ? true : null), 10_000, 'a worker');
  }, 90_000);

  it('kills the worker when the owner returns, and says why', async () => {
    const progressing = await statusWhere((s) => (s.job?.done ?? 0) > 0, 'training progress', 30_000);
    checkpointBeforePreemption = progressing.job?.done ?? 0;
    const workers = descendantPids(agent.child.pid as number);
    expect(workers.length).toBeGreaterThan(0);
    clearInterval(keepAway);
    await reportIdle(0);
    await waitFor(() => (workers.every((pid) => !isAlive(pid)) ? true : null), 5000, 'the worker to be gone');
    const waiting = await statusWhere((s) => s.job === null, 'the job to leave the status', 5000);
    expect(waiting).toMatchObject({ state: 'waiting', cause: 'owner-active' });
    expect(waiting.reason).toMatch(/^Waiting: you are using the computer/);
  });

  it('resumes the same training lease from its checkpoint when the owner leaves again', async () => {
    stayAway();
    const resumed = await statusWhere((s) => s.job !== null && s.state === 'earning', 'the job to resume', 30_000);
    expect(resumed.job?.jobId).toBe(jobId);
    // It starts from the last checkpoint, not from step 0.
    const progressed = await statusWhere((s) => (s.job?.done ?? 0) > 0, 'progress after the resume', 30_000);
    expect(progressed.job?.done).toBeGreaterThanOrEqual(checkpointBeforePreemption);
    const timeline = await api.call('timeline.list', { sinceMs: 0 });
    expect(timeline.map((entry) => entry.cause)).toEqual(expect.arrayContaining(['wallet-locked', 'owner-active']));
  }, 60_000);
});
