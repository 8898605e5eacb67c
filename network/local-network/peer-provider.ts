/**
 * The rest of the network, on one machine: an honest provider that runs
 * leased jobs through the same sandboxed compute path as the agent
 * (agent/work/lease-run.ts) with one thread.
 *
 * Why it exists: the coordinator never accepts a result from a provider it
 * does not trust yet without an agreeing copy from another account, and the
 * local network pins that (trustThreshold) so every result the agent submits
 * is checked. With the agent as the only provider, nothing would ever be
 * verified or paid. The peer computes the other copy. It takes at most one
 * copy of a job, so while the owner uses the computer it runs at most the
 * demo requester's few outstanding jobs and then waits for the agent.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Wallet } from 'ethers';
import { describeError } from '../../agent/errors.ts';
import { APP_VERSION, ONNXRUNTIME_VERSION } from '../../agent/version.ts';
import { fetchLeaseBlobs, type LeaseRun, RecordingCheckpointStore, startLeaseRun } from '../../agent/work/lease-run.ts';
import { cpuProviderProfile } from '../../agent/work/provider-loop.ts';
import { ProviderClient } from '../client/provider-client.ts';
import type { LocalNetworkLog } from './local-network-log.ts';

export interface PeerProviderOptions {
  coordinatorUrl: string;
  wallet: Wallet;
  /** Checkpoints of the running training job. */
  workDir: string;
  log: LocalNetworkLog;
}

export interface PeerProvider {
  /** Results submitted since start. */
  readonly submitted: number;
  stop(): Promise<void>;
}

const ERROR_BACKOFF_MS = 5_000;

export function startPeerProvider(options: PeerProviderOptions): PeerProvider {
  let client: ProviderClient | null = null;
  let running: LeaseRun | null = null;
  let submitted = 0;
  let stopped = false;
  let wake: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** One lease run; returns how long to wait before asking again. */
  const step = async (): Promise<number> => {
    client ??= await ProviderClient.register({
      baseUrl: options.coordinatorUrl,
      wallet: options.wallet,
      profile: cpuProviderProfile(APP_VERSION, ONNXRUNTIME_VERSION),
    });
    const { leases, retryAfterMs } = await client.lease(1);
    const lease = leases[0];
    if (lease === undefined) return Math.max(1_000, retryAfterMs);
    const checkpoints = new RecordingCheckpointStore(path.join(options.workDir, lease.leaseId));
    let outcome: Awaited<LeaseRun['outcome']>;
    try {
      const blobs = await fetchLeaseBlobs(lease, (ref) => (client as ProviderClient).fetchBlob(ref));
      running = startLeaseRun(lease, { blobs, checkpoints, threads: 1 });
      outcome = await running.outcome;
    } finally {
      running = null;
      // Nothing resumes here: a stopped peer's lease expires and the job is requeued.
      fs.rmSync(checkpoints.directory, { recursive: true, force: true });
    }
    if (outcome.status !== 'completed') {
      if (outcome.status === 'failed')
        options.log.warn(`peer provider: job ${lease.spec.jobId} failed: ${outcome.message}`);
      await client.release(lease.leaseId).catch(() => {});
      return 0;
    }
    await client.submit(lease.leaseId, outcome.submission);
    submitted += 1;
    return 0;
  };

  const loop = (async () => {
    while (!stopped) {
      let waitMs: number;
      try {
        waitMs = await step();
      } catch (error) {
        client = null;
        if (!stopped) options.log.warn(`peer provider: ${describeError(error)}; trying again`);
        waitMs = ERROR_BACKOFF_MS;
      }
      if (waitMs > 0 && !stopped) await sleep(waitMs);
    }
  })();

  return {
    get submitted() {
      return submitted;
    },
    async stop() {
      stopped = true;
      wake?.();
      await running?.preempt();
      await loop;
    },
  };
}
