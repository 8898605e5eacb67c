/**
 * The agent's work for the network: whenever the scheduler allows a new job,
 * sign in (one wallet signature per session), lease a job, run it in a
 * sandboxed worker, and submit the result; the moment the scheduler takes the
 * machine back, kill the worker. A preempted training run keeps its lease and
 * checkpoint and resumes when the machine is free again, if the lease is still
 * valid. Each step is journalled in the ledger.
 *
 * One loop, one job at a time: it sleeps until something it waits for changes
 * (a decision, an unlock, the coordinator's retry-after), so it never polls.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { JobProgress } from '../../native/jobs/job-outcome.ts';
import { ProviderClient } from '../../network/client/provider-client.ts';
import type { Lease } from '../../network/wire/leases.ts';
import type { ProviderProfile } from '../../network/wire/sessions.ts';
import { describeError } from '../errors.ts';
import type { JournalRepository } from '../ledger/journal-repository.ts';
import type { RunningJob } from '../local-api/contract.ts';
import type { SchedulerDecision } from '../scheduler/decision.ts';
import type { SchedulerService, WorkSignals } from '../scheduling/scheduler-service.ts';
import { allowedCpuThreads, mayStartJob, mustPreempt } from './job-admission.ts';
import { fetchLeaseBlobs, type LeaseRun, RecordingCheckpointStore, startLeaseRun } from './lease-run.ts';
import type { WalletAccess } from './wallet-access.ts';

export interface ProviderLoopOptions {
  /** The coordinator to work for; null while none is configured. */
  coordinatorUrl: () => string | null;
  wallet: WalletAccess;
  scheduler: SchedulerService;
  /** The scheduler reads these; the loop keeps them true. */
  work: WorkSignals;
  /** Per-lease working folders (checkpoints) live here. */
  workDir: string;
  journal: JournalRepository;
  logger: Logger;
  clock: () => number;
  profile: () => ProviderProfile;
  /** Called when the running job's progress or identity changes. */
  onJobChange: (job: RunningJob | null) => void;
}

const MAX_BACKOFF_MS = 60_000;
/** Re-register this long before the session expires, so no request is refused mid-job. */
const SESSION_MARGIN_MS = 60_000;
const WAIT_FOR_CHANGE_MS = 60_000;
const PROGRESS_EVERY_MS = 1000;

interface HeldLease {
  lease: Lease;
  checkpoints: RecordingCheckpointStore;
  blobs: Awaited<ReturnType<typeof fetchLeaseBlobs>>;
}

export class ProviderLoop {
  private readonly options: ProviderLoopOptions;
  private client: ProviderClient | null = null;
  private clientUrl: string | null = null;
  private running: { run: LeaseRun; threads: number; held: HeldLease } | null = null;
  /** A preempted training lease waiting to resume. */
  private suspended: HeldLease | null = null;
  private failures = 0;
  private stopped = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly unsubscribe: () => void;
  private lastProgressAt = 0;
  private job: RunningJob | null = null;

  constructor(options: ProviderLoopOptions) {
    this.options = options;
    this.unsubscribe = options.scheduler.onDecision((decision) => this.onDecision(decision));
  }

  start(): void {
    this.loop ??= this.runLoop();
  }

  /** Something the loop waits for changed (an unlock, a setting): look again now. */
  poke(): void {
    this.wake?.();
  }

  currentJob(): RunningJob | null {
    return this.job;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.wake?.();
    await this.running?.run.preempt();
    await this.loop;
  }

  private onDecision(decision: SchedulerDecision): void {
    const running = this.running;
    if (running !== null && mustPreempt(decision, running.threads)) {
      // Not awaited: the decision listener must return at once; the loop sees the outcome.
      void running.run.preempt();
      return;
    }
    if (running === null && mayStartJob(decision)) this.wake?.();
  }

  private async runLoop(): Promise<void> {
    while (!this.stopped) {
      let waitMs: number;
      try {
        waitMs = await this.step();
      } catch (error) {
        this.failures += 1;
        waitMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.failures, 6));
        this.options.logger.warn({ err: describeError(error), retryInMs: waitMs }, 'provider step failed');
        this.setWork({ isNetworkReachable: false });
      }
      if (waitMs > 0 && !this.stopped) await this.sleep(waitMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private setWork(patch: Partial<WorkSignals>): void {
    const work = this.options.work;
    const changed = Object.entries(patch).some(([key, value]) => work[key as keyof WorkSignals] !== value);
    if (!changed) return;
    Object.assign(work, patch);
    this.options.scheduler.signalsChanged();
  }

  /** One pass: returns how long to wait before the next (0: go on at once). */
  private async step(): Promise<number> {
    this.setWork({ wallet: this.options.wallet.readiness() });
    const url = this.options.coordinatorUrl();
    if (url === null) {
      this.setWork({ isNetworkReachable: false });
      return WAIT_FOR_CHANGE_MS;
    }
    if (this.options.work.wallet !== 'ready') return WAIT_FOR_CHANGE_MS;
    const decision = this.options.scheduler.currentDecision();
    if (!mayStartJob(decision)) return WAIT_FOR_CHANGE_MS;

    const client = await this.session(url);
    if (client === null) return WAIT_FOR_CHANGE_MS;
    this.setWork({ isNetworkReachable: true });
    this.failures = 0;

    const held = await this.nextLease(client);
    if (held === 'none') return 0;
    if (typeof held === 'number') {
      this.setWork({ isWorkAvailable: false });
      return held;
    }
    this.setWork({ isWorkAvailable: true });
    await this.runHeld(client, held, allowedCpuThreads(this.options.scheduler.currentDecision()));
    return 0;
  }

  private async session(url: string): Promise<ProviderClient | null> {
    const now = this.options.clock();
    if (this.client !== null && this.clientUrl === url && this.client.grant.expiresAt - SESSION_MARGIN_MS > now) {
      return this.client;
    }
    const wallet = await this.options.wallet.signer();
    if (wallet === null) return null;
    this.client = await ProviderClient.register({ baseUrl: url, wallet, profile: this.options.profile() });
    this.clientUrl = url;
    this.options.journal.append(now, 'provider.registered', {
      coordinator: url,
      account: this.client.account,
      expiresAt: this.client.grant.expiresAt,
    });
    this.options.logger.info({ coordinator: url, account: this.client.account }, 'signed in to the network');
    return this.client;
  }

  /** The suspended training lease if it can resume, else a new lease, or the wait before asking again. */
  private async nextLease(client: ProviderClient): Promise<HeldLease | number | 'none'> {
    const suspended = this.suspended;
    if (suspended !== null) {
      this.suspended = null;
      try {
        const renewed = await client.renew(suspended.lease.leaseId);
        return { ...suspended, lease: { ...suspended.lease, expiresAt: renewed.expiresAt } };
      } catch (error) {
        // Expired or reassigned: the coordinator requeued it; the checkpoint is of no further use.
        this.options.logger.info({ err: describeError(error) }, 'suspended lease could not resume');
        this.discard(suspended);
        return 'none';
      }
    }
    const { leases, retryAfterMs } = await client.lease(1);
    const lease = leases[0];
    if (lease === undefined) return Math.max(1000, retryAfterMs);
    const blobs = await fetchLeaseBlobs(lease, (ref) => client.fetchBlob(ref));
    const checkpoints = new RecordingCheckpointStore(this.leaseDir(lease));
    this.options.journal.append(this.options.clock(), 'job.leased', {
      leaseId: lease.leaseId,
      jobId: lease.spec.jobId,
      kind: lease.spec.kind,
      maxReward: lease.maxReward,
      expiresAt: lease.expiresAt,
    });
    return { lease, blobs, checkpoints };
  }

  private leaseDir(lease: Lease): string {
    return path.join(this.options.workDir, lease.leaseId.replace(/[^A-Za-z0-9._-]/g, '_'));
  }

  private discard(held: HeldLease): void {
    fs.rmSync(held.checkpoints.directory, { recursive: true, force: true });
  }

  private async runHeld(client: ProviderClient, held: HeldLease, threads: number): Promise<void> {
    const { lease } = held;
    const startedAt = this.options.clock();
    this.setJob({
      jobId: lease.spec.jobId,
      kind: lease.spec.kind,
      startedAt,
      phase: 'starting',
      done: 0,
      total: 0,
      maxReward: lease.maxReward,
    });
    const run = startLeaseRun(lease, {
      blobs: held.blobs,
      checkpoints: held.checkpoints,
      threads,
      onProgress: (progress) => this.onProgress(progress),
    });
    this.running = { run, threads, held };
    this.setWork({ isJobRunning: true });
    const renewal = this.keepLeaseAlive(client, held);
    let outcome: Awaited<LeaseRun['outcome']>;
    try {
      outcome = await run.outcome;
    } finally {
      clearTimeout(renewal.timer);
      this.running = null;
      this.setJob(null);
      this.setWork({ isJobRunning: false });
    }
    const now = this.options.clock();
    const ids = { leaseId: lease.leaseId, jobId: lease.spec.jobId };
    if (outcome.status === 'preempted') {
      this.options.journal.append(now, 'job.preempted', {
        ...ids,
        preemptMs: run.preemptMs,
        checkpointStep: outcome.checkpointStep,
      });
      this.options.logger.info({ ...ids, preemptMs: run.preemptMs }, 'job preempted');
      if (lease.spec.kind === 'training' && !this.stopped) {
        this.suspended = held;
      } else {
        await this.release(client, held);
      }
      return;
    }
    if (outcome.status === 'failed') {
      this.options.journal.append(now, 'job.failed', { ...ids, code: outcome.code, message: outcome.message });
      this.options.logger.warn({ ...ids, code: outcome.code }, 'job failed');
      await this.release(client, held);
      return;
    }
    const answer = await client.submit(lease.leaseId, outcome.submission);
    this.options.journal.append(this.options.clock(), 'job.submitted', {
      ...ids,
      deviceMs: outcome.submission.deviceMs,
      maxReward: lease.maxReward,
      answer,
    });
    this.discard(held);
  }

  private async release(client: ProviderClient, held: HeldLease): Promise<void> {
    this.discard(held);
    try {
      await client.release(held.lease.leaseId);
    } catch (error) {
      // The lease expires by itself and the job is requeued; nothing is lost.
      this.options.logger.info({ err: describeError(error) }, 'lease release failed');
    }
  }

  /** Renews the lease halfway to each expiry while the job runs. */
  private keepLeaseAlive(client: ProviderClient, held: HeldLease): { timer: NodeJS.Timeout | undefined } {
    const handle: { timer: NodeJS.Timeout | undefined } = { timer: undefined };
    const schedule = (expiresAt: number) => {
      const delay = Math.max(1000, (expiresAt - this.options.clock()) / 2);
      handle.timer = setTimeout(async () => {
        try {
          const renewed = await client.renew(held.lease.leaseId);
          held.lease = { ...held.lease, expiresAt: renewed.expiresAt };
          if (this.running?.held === held) schedule(renewed.expiresAt);
        } catch (error) {
          this.options.logger.warn({ err: describeError(error) }, 'lease renewal failed');
        }
      }, delay);
      handle.timer.unref();
    };
    schedule(held.lease.expiresAt);
    return handle;
  }

  private onProgress(progress: JobProgress): void {
    if (this.job === null) return;
    const now = this.options.clock();
    const isLast = progress.total > 0 && progress.done === progress.total;
    const isNewPhase = progress.phase !== this.job.phase;
    if (!isLast && !isNewPhase && now - this.lastProgressAt < PROGRESS_EVERY_MS) return;
    this.lastProgressAt = now;
    this.setJob({ ...this.job, phase: progress.phase, done: progress.done, total: progress.total });
  }

  private setJob(job: RunningJob | null): void {
    this.job = job;
    this.options.onJobChange(job);
  }
}

/** The CPU as the network sees it: its execution provider and the memory a job may use. */
export function cpuProviderProfile(appVersion: string, onnxruntimeVersion: string): ProviderProfile {
  const cpuName = os.cpus()[0]?.model.trim() || 'CPU';
  return {
    appVersion,
    onnxruntimeVersion,
    platform: `${process.platform}-${process.arch}`,
    devices: [
      {
        id: 'cpu',
        kind: 'cpu',
        name: cpuName.slice(0, 200),
        executionProviders: ['cpu'],
        memoryBytes: Math.min(4 * 1024 ** 3, Math.floor(os.totalmem() / 2)),
        benchmarkGflops: null,
      },
    ],
  };
}
