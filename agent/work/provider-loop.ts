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
import { type Voucher, VoucherSchema } from '../../network/wire/earnings.ts';
import { isNetworkError, type NetworkErrorCode } from '../../network/wire/errors.ts';
import type { Lease, SubmitResultResponse } from '../../network/wire/leases.ts';
import type { ProviderProfile } from '../../network/wire/sessions.ts';
import { describeError } from '../errors.ts';
import type { JournalRepository } from '../ledger/journal-repository.ts';
import type { OutboxEntry, ProviderJobsRepository } from '../ledger/provider-jobs-repository.ts';
import type { RunningJob } from '../local-api/contract.ts';
import type { SchedulerDecision } from '../scheduler/decision.ts';
import type { SchedulerService, WorkSignals } from '../scheduling/scheduler-service.ts';
import { allowedCpuThreads, mayStartJob, mustPreempt, wakesLoop } from './job-admission.ts';
import { fetchLeaseBlobs, type LeaseRun, RecordingCheckpointStore, startLeaseRun } from './lease-run.ts';
import { decodeStoredResult, encodeStoredResult } from './stored-result.ts';
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
  /** Every job with its payment state, and the outbox of finished results. */
  jobs: ProviderJobsRepository;
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
/** How often settlements (verified, rejected) and the newest voucher are read while signed in. */
const SYNC_EVERY_MS = 15_000;
/** How often results due for delivery are retried while a job runs. */
const OUTBOX_WHILE_RUNNING_MS = 5_000;
/** Answers that mean a result can never be delivered: retrying would not help. */
const UNDELIVERABLE: ReadonlySet<NetworkErrorCode> = new Set([
  'lease_not_found',
  'lease_expired',
  'lease_closed',
  'result_invalid',
  'result_conflict',
  'provider_suspended',
]);

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
  private nextSyncAt = 0;
  private isDelivering = false;
  private job: RunningJob | null = null;
  private noJobWaiters: (() => void)[] = [];
  /** The loop sleeps because the scheduler forbade new jobs: a decision that allows them ends the sleep. */
  private waitsForDecision = false;

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

  /** Resolves once no job's worker runs (at once when none does): a benchmark measures only after a preempted job is gone. */
  whenNoJobRuns(): Promise<void> {
    if (this.running === null) return Promise.resolve();
    return new Promise((resolve) => this.noJobWaiters.push(resolve));
  }

  /** Threads the running job's worker may use; 0 when none runs. */
  runningThreads(): number {
    return this.running?.threads ?? 0;
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
    if (wakesLoop(decision, { isJobRunning: running !== null, waitsForDecision: this.waitsForDecision })) this.wake?.();
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
    this.waitsForDecision = !mayStartJob(this.options.scheduler.currentDecision());
    const client = await this.session(url);
    if (client === null) return WAIT_FOR_CHANGE_MS;
    this.setWork({ isNetworkReachable: true });
    this.failures = 0;
    // Finished results and settlements do not wait for the owner to leave: they use no device.
    await this.deliverDue(client);
    await this.syncIfDue(client);
    if (this.waitsForDecision) return this.untilNextChore(WAIT_FOR_CHANGE_MS);

    const held = await this.nextLease(client);
    if (held === 'none') return 0;
    if (typeof held === 'number') {
      this.setWork({ isWorkAvailable: false });
      return this.untilNextChore(held);
    }
    this.setWork({ isWorkAvailable: true });
    // Leasing and fetching blobs took a while: the owner may have come back or a benchmark started meanwhile.
    if (!mayStartJob(this.options.scheduler.currentDecision())) {
      await this.setAside(client, held);
      return 0;
    }
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
    this.options.jobs.recordLease({
      leaseId: lease.leaseId,
      jobId: lease.spec.jobId,
      kind: lease.spec.kind,
      coordinator: client.client.baseUrl,
      account: client.account,
      maxReward: lease.maxReward,
    });
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

  /** A lease that may not start now: training waits to resume (its lease is kept); inference goes back at once. */
  private async setAside(client: ProviderClient, held: HeldLease): Promise<void> {
    if (held.lease.spec.kind === 'training') {
      this.suspended = held;
      return;
    }
    this.options.jobs.move(held.lease.leaseId, ['leased'], 'released', {
      reason: 'Not started because the computer was needed; the job went back to the network.',
    });
    await this.release(client, held);
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
    this.options.jobs.move(lease.leaseId, ['leased'], 'running');
    this.setWork({ isJobRunning: true });
    const renewal = this.keepLeaseAlive(client, held);
    // Results waiting in the outbox are not held hostage by this job: their leases keep running out.
    const outboxTimer = setInterval(() => void this.deliverDue(client), OUTBOX_WHILE_RUNNING_MS);
    outboxTimer.unref();
    let outcome: Awaited<LeaseRun['outcome']>;
    try {
      outcome = await run.outcome;
    } finally {
      clearTimeout(renewal.timer);
      clearInterval(outboxTimer);
      this.running = null;
      this.setJob(null);
      this.setWork({ isJobRunning: false });
      for (const resolve of this.noJobWaiters.splice(0)) resolve();
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
        this.options.jobs.move(lease.leaseId, ['running'], 'leased');
        this.suspended = held;
      } else {
        this.options.jobs.move(lease.leaseId, ['leased', 'running'], 'released', {
          reason: 'Stopped because the computer was needed; the job went back to the network.',
        });
        await this.release(client, held);
      }
      return;
    }
    if (outcome.status === 'failed') {
      this.options.journal.append(now, 'job.failed', { ...ids, code: outcome.code, message: outcome.message });
      this.options.logger.warn({ ...ids, code: outcome.code }, 'job failed');
      this.options.jobs.move(lease.leaseId, ['leased', 'running'], 'failed', { reason: outcome.message });
      await this.release(client, held);
      return;
    }
    // Into the outbox first: from here on a crash or an outage cannot lose the result.
    this.options.jobs.storeResult(lease.leaseId, encodeStoredResult(outcome.submission));
    this.options.journal.append(now, 'job.finished', { ...ids, deviceMs: outcome.submission.deviceMs });
    this.discard(held);
    // Due at once; a delivery pass already under way leaves it to the loop's next step.
    await this.deliverDue(client);
  }

  /** Sends every due result of this session's account and coordinator; others wait for theirs. */
  private async deliverDue(client: ProviderClient): Promise<void> {
    // One delivery pass at a time: the pass while a job runs and the loop's own must not send a result twice at once.
    if (this.isDelivering) return;
    this.isDelivering = true;
    try {
      for (const entry of this.options.jobs.dueDeliveries(this.options.clock())) {
        if (entry.coordinator !== client.client.baseUrl || entry.account !== client.account) continue;
        await this.deliver(client, entry);
      }
    } finally {
      this.isDelivering = false;
    }
  }

  private async deliver(client: ProviderClient, entry: OutboxEntry): Promise<void> {
    const result = decodeStoredResult(entry.resultJson);
    if (result === null) {
      this.options.jobs.move(entry.leaseId, ['finished'], 'failed', {
        reason: 'The stored result was damaged and could not be sent.',
      });
      return;
    }
    let answer: SubmitResultResponse;
    try {
      answer = await client.submit(entry.leaseId, result);
    } catch (error) {
      if (isNetworkError(error) && UNDELIVERABLE.has(error.code)) {
        this.options.jobs.move(entry.leaseId, ['finished'], 'failed', { reason: error.message });
        this.options.journal.append(this.options.clock(), 'job.undeliverable', {
          leaseId: entry.leaseId,
          code: error.code,
        });
        return;
      }
      this.options.jobs.deliveryFailed(entry.leaseId);
      this.options.logger.warn({ leaseId: entry.leaseId, err: describeError(error) }, 'result delivery failed');
      return;
    }
    this.options.jobs.delivered(entry.leaseId);
    this.options.journal.append(this.options.clock(), 'job.submitted', { leaseId: entry.leaseId, answer });
    if (answer.outcome === 'valid' || answer.outcome === 'invalid') {
      this.options.jobs.settle(entry.leaseId, answer.outcome, answer.reward, answer.reason);
      if (answer.outcome === 'valid') this.nextSyncAt = 0;
    }
  }

  /**
   * Reads new settlements (verified, rejected, expired) and, after any payment, the newest voucher.
   * Bookkeeping never stops work: a failure here is logged and tried again at the next sync.
   */
  private async syncIfDue(client: ProviderClient): Promise<void> {
    const now = this.options.clock();
    if (now < this.nextSyncAt) return;
    this.nextSyncAt = now + SYNC_EVERY_MS;
    try {
      await this.sync(client);
    } catch (error) {
      this.options.logger.warn({ err: describeError(error) }, 'reading settlements or the voucher failed');
    }
  }

  private async sync(client: ProviderClient): Promise<void> {
    const coordinator = client.client.baseUrl;
    let after = this.options.jobs.settlementsAfter(coordinator, client.account);
    let paid = false;
    for (;;) {
      const page = await client.settlements(after);
      for (const settlement of page.settlements) {
        if (settlement.outcome === 'inconclusive') continue;
        this.options.jobs.settle(settlement.leaseId, settlement.outcome, settlement.reward, settlement.reason);
        paid ||= settlement.outcome === 'valid';
      }
      if (page.next === after || page.settlements.length === 0) break;
      after = page.next;
      this.options.jobs.saveSettlementsAfter(coordinator, client.account, after);
    }
    const hasVoucher = this.options.jobs.voucherJson(client.account) !== null;
    // A coordinator without a payout vault signs no vouchers (a test network): nothing to ask for.
    if ((paid || !hasVoucher) && client.info.vault !== null) {
      const voucher = await client.voucher();
      if (voucher !== null) this.options.jobs.saveVoucher(coordinator, client.account, JSON.stringify(voucher));
    }
  }

  /** How long to sleep: the given wait, or less when an outbox delivery or a sync is due sooner. */
  private untilNextChore(waitMs: number): number {
    const now = this.options.clock();
    const delivery = this.options.jobs.nextDeliveryAt();
    const candidates = [waitMs, this.nextSyncAt - now, delivery === null ? waitMs : delivery - now];
    return Math.max(1000, Math.min(...candidates));
  }

  /** The newest voucher stored for the wallet's account (works while the coordinator is down). */
  newestVoucher(account: string): Voucher | null {
    const json = this.options.jobs.voucherJson(account);
    if (json === null) return null;
    try {
      const parsed = VoucherSchema.safeParse(JSON.parse(json));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
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

/**
 * The CPU as the network sees it: its execution provider, the memory a job may
 * use, and its benchmark score (null until this computer was benchmarked).
 */
export function cpuProviderProfile(
  appVersion: string,
  onnxruntimeVersion: string,
  benchmarkScore: number | null = null,
): ProviderProfile {
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
        benchmarkGflops: benchmarkScore,
      },
    ],
  };
}
