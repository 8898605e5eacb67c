/**
 * The whole provider path with real parts: a coordinator, a requester
 * submitting a long training job, a real agent process that signs in with its
 * wallet, leases the job and runs it in a sandboxed worker process; then the
 * owner comes back (the shell reports input) and the worker must be gone, the
 * status must say why, and the training checkpoint must survive to resume.
 * A benchmark started mid-job stops the job the same way, measures alone, and
 * the job resumes once it is done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchmarkFinishedEvent } from '../../agent/local-api/contract.ts';
import { runCliSync, waitFor } from '../support/agent-process.ts';
import { descendantPids, isAlive } from '../support/process-tree.ts';
import { type ProviderNetwork, startProviderNetwork, WALLET_PASSWORD } from '../support/provider-network.ts';

let network: ProviderNetwork;
let keepAway: NodeJS.Timeout | undefined;
let jobId = '';
let checkpointBeforePreemption = 0;

/** The owner stays away: the shell keeps reporting, as Electron does every 250 ms while earning. */
function stayAway(): void {
  clearInterval(keepAway);
  keepAway = setInterval(() => void network.reportIdle(600).catch(() => {}), 250);
}

beforeAll(async () => {
  network = await startProviderNetwork();
}, 60_000);

afterAll(async () => {
  clearInterval(keepAway);
  await network?.stop();
});

describe('a provider agent on a real network', () => {
  it('says the wallet is locked until the owner unlocks it, and refuses a wrong password', async () => {
    await network.reportIdle(600);
    await network.statusWhere((s) => s.cause === 'wallet-locked', 'the locked-wallet reason');
    await expect(network.api.call('wallet.unlock', { password: 'not the password' })).rejects.toMatchObject({
      message: expect.stringMatching(/password/i),
    });
  });

  it('signs in, leases the job and earns once unlocked (from the CLI) and idle', async () => {
    const unlocked = runCliSync(network.agent.home, ['wallet', 'unlock'], `${WALLET_PASSWORD}\n`);
    expect(unlocked.stderr).toBe('');
    expect(unlocked.stdout).toMatch(/^Unlocked 0x[0-9a-fA-F]{40} in the agent/);
    stayAway();
    const earning = await network.statusWhere((s) => s.state === 'earning' && s.job !== null, 'a running job', 60_000);
    expect(earning.job).toMatchObject({ kind: 'training', jobId: expect.stringMatching(/^job_/) });
    jobId = earning.job?.jobId ?? '';
    const agentPid = network.agent.child.pid as number;
    await waitFor(() => (descendantPids(agentPid).length > 0 ? true : null), 10_000, 'a worker');
  }, 90_000);

  it('kills the worker when the owner returns, and says why', async () => {
    const progressing = await network.statusWhere(
      (s) => s.job?.phase === 'running' && s.job.done > 0,
      'training progress',
      30_000,
    );
    checkpointBeforePreemption = progressing.job?.done ?? 0;
    const workers = descendantPids(network.agent.child.pid as number);
    expect(workers.length).toBeGreaterThan(0);
    clearInterval(keepAway);
    await network.reportIdle(0);
    await waitFor(() => (workers.every((pid) => !isAlive(pid)) ? true : null), 5000, 'the worker to be gone');
    const waiting = await network.statusWhere((s) => s.job === null, 'the job to leave the status', 5000);
    expect(waiting).toMatchObject({ state: 'waiting', cause: 'owner-active' });
    expect(waiting.reason).toMatch(/^Waiting: you (are using|used) the computer/);
  });

  it('resumes the same training lease from its checkpoint when the owner leaves again', async () => {
    stayAway();
    const resumed = await network.statusWhere((s) => s.job !== null && s.state === 'earning', 'the job to resume');
    expect(resumed.job?.jobId).toBe(jobId);
    // It starts from the last checkpoint, not from step 0.
    const progressed = await network.statusWhere((s) => (s.job?.done ?? 0) > 0, 'progress after the resume');
    expect(progressed.job?.done).toBeGreaterThanOrEqual(checkpointBeforePreemption);
    const timeline = await network.api.call('timeline.list', { sinceMs: 0 });
    expect(timeline.map((entry) => entry.cause)).toEqual(expect.arrayContaining(['wallet-locked', 'owner-active']));
  }, 60_000);

  it('a benchmark started mid-job stops the job, measures without it, and the job resumes afterwards', async () => {
    await network.statusWhere((s) => s.state === 'earning' && s.job?.phase === 'running', 'the job running');
    const jobWorkers = descendantPids(network.agent.child.pid as number);
    expect(jobWorkers.length).toBeGreaterThan(0);
    let isJobGoneAtFirstProgress: boolean | null = null;
    const offProgress = network.api.on('benchmark.progress', () => {
      isJobGoneAtFirstProgress ??= jobWorkers.every((pid) => !isAlive(pid));
    });
    const finished = new Promise<BenchmarkFinishedEvent>((resolve) => {
      const off = network.api.on('benchmark.finished', (event) => {
        off();
        resolve(event);
      });
    });

    await network.api.call('benchmark.run', { mode: 'quick' });
    const stopped = await network.statusWhere((s) => s.job === null, 'the job to stop for the benchmark', 5000);
    expect(stopped).toMatchObject({ state: 'benchmarking', cause: 'benchmarking' });
    await waitFor(() => (jobWorkers.every((pid) => !isAlive(pid)) ? true : null), 5000, "the job's worker to be gone");

    const end = await finished;
    offProgress();
    expect(end.outcome, JSON.stringify(end)).toBe('completed');
    expect(isJobGoneAtFirstProgress).toBe(true);
    const resumed = await network.statusWhere(
      (s) => s.state === 'earning' && s.job !== null,
      'the job to resume after the benchmark',
    );
    expect(resumed.job?.jobId).toBe(jobId);
  }, 120_000);
});
