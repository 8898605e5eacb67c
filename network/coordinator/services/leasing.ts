/**
 * Handing out work: a provider gets queued copies its devices can run, of
 * jobs it has no other copy of (replicas must come from distinct accounts),
 * oldest first. Trusted providers sometimes get a canary instead. A lease
 * expires after the job's own time limit plus a grace; an expired or
 * released copy goes back to the queue for someone else.
 */
import { runTimeLimitMs, specBlobs, specRequirements } from '../../jobs/job-spec-view.ts';
import { checkToServe, replicasToAddAtLease } from '../../verification/adaptive-replication.ts';
import { isSuspended } from '../../verification/reliability-score.ts';
import type { BlobRef } from '../../wire/common.ts';
import { NetworkError } from '../../wire/errors.ts';
import type { Lease } from '../../wire/leases.ts';
import type { ProviderProfile } from '../../wire/sessions.ts';
import type { CoordinatorContext } from '../coordinator-context.ts';
import type { JobRow, LeaseRow, ProviderRow, ReplicaRow } from '../store/store-rows.ts';
import { queueReplicas, trustRun } from './settlement.ts';
import { maxCopyReward } from './work-basis.ts';

/**
 * Queued copies looked at per lease request: a few first (the oldest copy
 * usually fits), then up to enough to skip those a provider cannot take.
 * Reading all 64 on every lease was a tenth of a lease's cost.
 */
const FIRST_CANDIDATES = 2;
const CANDIDATES_PER_LEASE = 64;
const CANARY_SOURCES = 20;

export function canRun(job: JobRow, profile: ProviderProfile): boolean {
  const needs = specRequirements(job.spec);
  return profile.devices.some(
    (device) =>
      device.memoryBytes >= needs.maxMemoryBytes &&
      device.executionProviders.some((provider) => needs.executionProviders.includes(provider)),
  );
}

export function leaseDurationMs(ctx: CoordinatorContext, job: JobRow): number {
  const { leaseGraceMs, maxLeaseMs } = ctx.settings.limits;
  return Math.min(maxLeaseMs, runTimeLimitMs(job.spec) + leaseGraceMs);
}

export function requireProvider(ctx: CoordinatorContext, account: string): ProviderRow {
  const provider = ctx.store.getProvider(account);
  if (!provider) {
    throw new NetworkError(
      'provider_unknown',
      `${account} is not registered as a provider; POST /v1/providers/register first.`,
    );
  }
  return provider;
}

function leaseBlobs(job: JobRow): BlobRef[] {
  const blobs = specBlobs(job.spec);
  if (job.segment?.startState) blobs.push(job.segment.startState);
  return blobs;
}

function toLease(job: JobRow, lease: LeaseRow): Lease {
  return {
    leaseId: lease.leaseId,
    expiresAt: lease.expiresAt,
    spec: job.spec,
    segment: job.segment,
    blobs: lease.blobs,
    maxReward: maxCopyReward(job).toString(),
  };
}

function takeReplica(ctx: CoordinatorContext, job: JobRow, replica: ReplicaRow, account: string): LeaseRow {
  const now = ctx.now();
  const lease: LeaseRow = {
    leaseId: ctx.newId('lease'),
    replicaId: replica.replicaId,
    account,
    state: 'active',
    blobs: leaseBlobs(job),
    expiresAt: now + leaseDurationMs(ctx, job),
    createdAt: now,
  };
  ctx.store.insertLease(lease);
  ctx.store.updateReplica(replica.replicaId, { state: 'leased', account, leaseId: lease.leaseId, updatedAt: now });
  return lease;
}

/**
 * A replay of a job with a known answer that the provider never saw (a
 * calibration job, or for trusted providers also a verified job), judged
 * against that answer.
 */
function createCanary(
  ctx: CoordinatorContext,
  account: string,
  verifiedJobs: boolean,
): { job: JobRow; replica: ReplicaRow } | null {
  const sources = ctx.store.canarySources(account, CANARY_SOURCES, verifiedJobs);
  if (sources.length === 0) return null;
  const source = ctx.store.getJob(sources[Math.floor(ctx.random() * sources.length)] as string);
  const answer =
    source?.knownAnswer ?? (source?.canonicalReplica ? ctx.store.getReplica(source.canonicalReplica)?.result : null);
  if (!source || !answer) return null;
  const now = ctx.now();
  const jobId = ctx.newId('job');
  // A fresh job id, so nothing in the lease tells a canary from new work.
  const job: JobRow = {
    ...source,
    jobId,
    kind: 'canary',
    spec: { ...source.spec, jobId },
    requester: null,
    clientRequestId: null,
    state: 'open',
    failure: null,
    submittedAt: now,
    updatedAt: now,
    verifiedAt: null,
    canonicalReplica: null,
    method: null,
    agreeing: null,
    cost: 0n,
    parentJob: source.jobId,
    auditedReplica: null,
    excludedAccount: null,
    segment: null,
    knownAnswer: { outputSha256: answer.outputSha256, outputs: answer.outputs },
    claim: null,
  };
  ctx.store.insertJob(job);
  queueReplicas(ctx, job, 1);
  return { job, replica: ctx.store.listReplicas(jobId)[0] as ReplicaRow };
}

export interface LeaseGrant {
  leases: Lease[];
  retryAfterMs: number;
}

/** Up to `max` leases for this provider. Runs inside a store transaction. */
export function leaseJobs(ctx: CoordinatorContext, account: string, max: number): LeaseGrant {
  const provider = requireProvider(ctx, account);
  if (isSuspended(provider, ctx.settings.suspension)) {
    throw new NetworkError(
      'provider_suspended',
      `${account} is suspended after ${provider.invalid} rejected results; it keeps what it earned but gets no new work. Check that this machine computes correctly (run the benchmark again) and contact the coordinator operator.`,
    );
  }
  const { profile } = provider;
  const policy = ctx.settings.replication;
  const run = trustRun(ctx, account, profile);
  const leases: Lease[] = [];

  const check = checkToServe(run, policy, ctx.random);
  if (check) {
    const canary = createCanary(ctx, account, check === 'canary');
    if (canary && canRun(canary.job, profile))
      leases.push(toLease(canary.job, takeReplica(ctx, canary.job, canary.replica, account)));
  }

  const jobs = new Map<string, JobRow | undefined>();
  const considered = new Set<string>();
  for (const limit of [FIRST_CANDIDATES + max, CANDIDATES_PER_LEASE + max]) {
    const queued = ctx.store.queuedReplicas(limit);
    for (const replica of queued) {
      if (leases.length >= max) break;
      if (considered.has(replica.replicaId)) continue;
      considered.add(replica.replicaId);
      if (!jobs.has(replica.jobId)) jobs.set(replica.jobId, ctx.store.getJob(replica.jobId));
      const job = jobs.get(replica.jobId);
      if (job?.state !== 'open' || job.excludedAccount === account || !canRun(job, profile)) continue;
      const siblings = ctx.store.replicaHolders(job.jobId);
      if (siblings.some((sibling) => sibling.account === account)) continue;
      leases.push(toLease(job, takeReplica(ctx, job, replica, account)));
      // An untrusted provider's result will need a second opinion anyway: queue it now so both run at once.
      const live = siblings.filter((s) => s.state === 'leased' || s.state === 'submitted').length + 1;
      queueReplicas(
        ctx,
        job,
        replicasToAddAtLease({
          jobKind: job.kind,
          liveReplicas: live,
          totalReplicas: siblings.length,
          providerRun: run,
          policy,
        }),
      );
    }
    if (leases.length >= max || queued.length < limit) break;
  }
  return { leases, retryAfterMs: leases.length > 0 ? 0 : ctx.settings.limits.noWorkRetryMs };
}

/** Returns expired leases' copies to the queue. Runs inside a store transaction. */
export function expireLeases(ctx: CoordinatorContext, limit = 1000): number {
  const now = ctx.now();
  const expired = ctx.store.expiredLeases(now, limit);
  for (const lease of expired) {
    returnToQueue(ctx, lease, 'expired', 'the lease expired before a result arrived; the copy went back to the queue');
  }
  return expired.length;
}

function returnToQueue(ctx: CoordinatorContext, lease: LeaseRow, outcome: 'expired' | 'released', reason: string) {
  const now = ctx.now();
  ctx.store.setLeaseState(lease.leaseId, outcome);
  const replica = ctx.store.getReplica(lease.replicaId);
  if (replica && replica.state === 'leased' && replica.leaseId === lease.leaseId) {
    ctx.store.updateReplica(replica.replicaId, { state: 'queued', account: null, leaseId: null, updatedAt: now });
  }
  ctx.store.insertSettlement({
    account: lease.account,
    leaseId: lease.leaseId,
    outcome,
    reward: null,
    reason,
    settledAt: now,
  });
}

/** The provider's own active lease, or the error that says why it is not one. */
export function activeLease(ctx: CoordinatorContext, account: string, leaseId: string): LeaseRow {
  const lease = ctx.store.getLease(leaseId);
  if (!lease || lease.account !== account) {
    throw new NetworkError('lease_not_found', `There is no lease ${leaseId} for ${account}.`);
  }
  if (lease.state === 'expired' || (lease.state === 'active' && lease.expiresAt < ctx.now())) {
    throw new NetworkError(
      'lease_expired',
      `Lease ${leaseId} expired at ${new Date(lease.expiresAt).toISOString()} and its copy went back to the queue; lease new work.`,
    );
  }
  if (lease.state !== 'active') {
    throw new NetworkError('lease_closed', `Lease ${leaseId} is ${lease.state}; it takes no further requests.`);
  }
  return lease;
}

export function renewLease(
  ctx: CoordinatorContext,
  account: string,
  leaseId: string,
): { leaseId: string; expiresAt: number } {
  const lease = activeLease(ctx, account, leaseId);
  const replica = ctx.store.getReplica(lease.replicaId) as ReplicaRow;
  const job = ctx.store.getJob(replica.jobId) as JobRow;
  const expiresAt = ctx.now() + leaseDurationMs(ctx, job);
  ctx.store.setLeaseState(leaseId, 'active', expiresAt);
  return { leaseId, expiresAt };
}

export function releaseLease(
  ctx: CoordinatorContext,
  account: string,
  leaseId: string,
): { leaseId: string; released: true } {
  const lease = activeLease(ctx, account, leaseId);
  returnToQueue(ctx, lease, 'released', 'the provider gave the lease back; the copy went back to the queue');
  return { leaseId, released: true };
}
