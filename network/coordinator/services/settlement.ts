/**
 * Runs the verification rule book (verification/job-decision.ts) on a stored
 * job and writes what it decided: outcomes and rewards of results, credits
 * and reliability runs of providers, copies to add or cancel, checkpoint
 * audits to start and their verdicts. Callers run it inside a store
 * transaction, so a decision is written whole or not at all; each replica
 * leaves `submitted` once, so no result is ever credited twice.
 */
import { readCheckpoint } from '../../jobs/checkpoint-state.ts';
import { checkpointSteps } from '../../jobs/job-spec-view.ts';
import { outputGroupsSha256 } from '../../jobs/tensors.ts';
import { effectiveRun, runAfter } from '../../verification/adaptive-replication.ts';
import {
  type CandidateResult,
  decideAfterAudit,
  decideJob,
  type JobDecision,
  type JobSnapshot,
  type SettledOutcome,
} from '../../verification/job-decision.ts';
import type { CoordinatorContext } from '../coordinator-context.ts';
import type { JobRow, ReplicaRow } from '../store/store-rows.ts';
import { copyReward } from './work-basis.ts';

export function jobSnapshot(ctx: CoordinatorContext, job: JobRow, replicas: readonly ReplicaRow[]): JobSnapshot {
  if (job.kind === 'calibration') throw new Error(`calibration job ${job.jobId} is never decided; its canaries are`);
  return {
    jobId: job.jobId,
    kind: job.kind,
    tolerances: job.tolerances,
    knownAnswer: job.knownAnswer,
    claim: job.claim,
    replicas: replicas.map((replica) => ({
      replicaId: replica.replicaId,
      state: replica.state,
      account: replica.account,
      result: replica.result ? { outputSha256: replica.result.outputSha256, outputs: replica.result.outputs } : null,
      run: replica.result && replica.account ? trustRun(ctx, replica.account, replica.result) : 0,
      checkpointCount: replica.result?.checkpoints.length ?? 0,
    })),
  };
}

/** The run a trust decision about this account's result uses (adaptive-replication.ts effectiveRun). */
export function trustRun(
  ctx: CoordinatorContext,
  account: string,
  versions: { appVersion: string; onnxruntimeVersion: string },
): number {
  const provider = ctx.store.getProvider(account);
  const run = ctx.store.getRun(account, versions.appVersion, versions.onnxruntimeVersion);
  return provider ? effectiveRun(run, provider, ctx.settings.replication) : 0;
}

/** Decides an open job after one of its copies changed, and applies the decision. */
export function settleJob(ctx: CoordinatorContext, jobId: string): void {
  const job = ctx.store.getJob(jobId);
  if (job?.state !== 'open' || job.kind === 'calibration') return;
  const replicas = ctx.store.listReplicas(jobId);
  applyDecision(ctx, job, replicas, decideJob(jobSnapshot(ctx, job, replicas), ctx.settings.replication, ctx.random));
}

/** The job that pays for a copy: requesters pay for their jobs and the audits of them; nobody pays for canaries. */
function payingJob(ctx: CoordinatorContext, job: JobRow): JobRow | undefined {
  if (job.kind === 'canary') return undefined;
  if (job.kind === 'segment') return job.parentJob ? ctx.store.getJob(job.parentJob) : undefined;
  return ctx.store.getJob(job.jobId);
}

function settleReplica(
  ctx: CoordinatorContext,
  job: JobRow,
  replica: ReplicaRow,
  outcome: SettledOutcome,
  reason: string,
) {
  const { store } = ctx;
  const now = ctx.now();
  const result = replica.result;
  if (!result || !replica.account || replica.state !== 'submitted') {
    throw new Error(`replica ${replica.replicaId} cannot be settled from state ${replica.state}`);
  }
  const reward = outcome === 'valid' ? copyReward(job, result.deviceMs) : 0n;
  store.updateReplica(replica.replicaId, {
    state: outcome,
    reward: outcome === 'valid' ? reward : null,
    reason,
    updatedAt: now,
  });
  store.recordOutcome(replica.account, outcome, reward);
  if (outcome !== 'inconclusive') {
    const run = store.getRun(replica.account, result.appVersion, result.onnxruntimeVersion);
    store.setRun(replica.account, result.appVersion, result.onnxruntimeVersion, runAfter(run, outcome));
  }
  if (replica.leaseId) {
    store.insertSettlement({
      account: replica.account,
      leaseId: replica.leaseId,
      outcome,
      reward: outcome === 'valid' ? reward : null,
      reason,
      settledAt: now,
    });
  }
  const payer = reward > 0n ? payingJob(ctx, job) : undefined;
  if (payer) store.updateJob(payer.jobId, { cost: payer.cost + reward, updatedAt: now });
}

function cancelReplica(ctx: CoordinatorContext, replica: ReplicaRow) {
  const now = ctx.now();
  if (replica.state !== 'queued' && replica.state !== 'leased') return;
  if (replica.state === 'leased' && replica.leaseId && replica.account) {
    ctx.store.setLeaseState(replica.leaseId, 'canceled');
    ctx.store.insertSettlement({
      account: replica.account,
      leaseId: replica.leaseId,
      outcome: 'canceled',
      reward: null,
      reason: 'the job was verified without this copy; stop running it',
      settledAt: now,
    });
  }
  ctx.store.updateReplica(replica.replicaId, { state: 'canceled', updatedAt: now });
}

export function queueReplicas(
  ctx: CoordinatorContext,
  job: Pick<JobRow, 'jobId' | 'submittedAt'>,
  count: number,
): void {
  const now = ctx.now();
  for (let i = 0; i < count; i++) {
    ctx.store.insertReplica({
      replicaId: ctx.newId('replica'),
      jobId: job.jobId,
      queueAt: job.submittedAt,
      state: 'queued',
      account: null,
      leaseId: null,
      result: null,
      reward: null,
      reason: null,
      createdAt: now,
      updatedAt: now,
    });
  }
}

export function applyDecision(
  ctx: CoordinatorContext,
  job: JobRow,
  replicas: readonly ReplicaRow[],
  decision: JobDecision,
): void {
  const now = ctx.now();
  const byId = new Map(replicas.map((replica) => [replica.replicaId, replica]));
  const get = (id: string) => {
    const replica = byId.get(id);
    if (!replica) throw new Error(`decision names replica ${id}, which job ${job.jobId} does not have`);
    return replica;
  };
  for (const settlement of decision.settle)
    settleReplica(ctx, job, get(settlement.replicaId), settlement.outcome, settlement.reason);
  for (const id of decision.cancel) cancelReplica(ctx, get(id));
  queueReplicas(ctx, job, decision.addReplicas);
  if (decision.verified) {
    const agreeing = decision.settle.filter((settlement) => settlement.outcome === 'valid').length;
    ctx.store.updateJob(job.jobId, {
      state: 'verified',
      verifiedAt: now,
      canonicalReplica: decision.verified.canonicalReplicaId,
      method: decision.verified.method,
      agreeing: Math.max(1, agreeing),
      updatedAt: now,
    });
  }
  if (decision.failed) ctx.store.updateJob(job.jobId, { state: 'failed', failure: decision.failed, updatedAt: now });
  if (decision.audit) startAudit(ctx, job, get(decision.audit.replicaId), decision.audit.segmentIndex);
  if (job.kind === 'segment' && decision.claimVerdict) concludeAudit(ctx, job, decision.claimVerdict);
}

function claimOf(ctx: CoordinatorContext, replica: ReplicaRow, step: number): CandidateResult | string {
  const checkpoint = replica.result?.checkpoints.find((candidate) => candidate.step === step);
  if (!checkpoint) return `the result reports no checkpoint at step ${step}`;
  const bytes = ctx.store.getBlob(checkpoint.state.sha256);
  if (!bytes) return `the checkpoint at step ${step} was never uploaded`;
  const read = readCheckpoint(bytes, step);
  if (!read.ok) return read.reason;
  return { outputSha256: outputGroupsSha256([read.params]), outputs: [read.params] };
}

/**
 * Audits an untrusted training result: another provider re-runs the segment
 * ending at one random checkpoint from the checkpoint before it, and the
 * parameters it reaches must match what the result claimed there.
 */
function startAudit(ctx: CoordinatorContext, job: JobRow, replica: ReplicaRow, segmentIndex: number) {
  if (job.spec.kind !== 'training') throw new Error(`job ${job.jobId} is not a training job`);
  const steps = checkpointSteps(job.spec);
  const toStep = steps[segmentIndex] as number;
  const fromStep = segmentIndex === 0 ? 0 : (steps[segmentIndex - 1] as number);
  const claim = claimOf(ctx, replica, toStep);
  const start = fromStep === 0 ? null : replica.result?.checkpoints.find((candidate) => candidate.step === fromStep);
  if (typeof claim === 'string' || start === undefined) {
    const replicas = ctx.store.listReplicas(job.jobId);
    const decision = decideAfterAudit(
      jobSnapshot(ctx, job, replicas),
      replica.replicaId,
      'refuted',
      ctx.settings.replication,
    );
    applyDecision(ctx, job, replicas, decision);
    return;
  }
  const now = ctx.now();
  const auditId = ctx.newId('job');
  ctx.store.insertJob({
    ...job,
    jobId: auditId,
    kind: 'segment',
    requester: null,
    clientRequestId: null,
    state: 'open',
    failure: null,
    // The audit queues as old as the job it settles, so it runs before newer work.
    submittedAt: job.submittedAt,
    updatedAt: now,
    verifiedAt: null,
    canonicalReplica: null,
    method: null,
    agreeing: null,
    cost: 0n,
    parentJob: job.jobId,
    auditedReplica: replica.replicaId,
    excludedAccount: replica.account,
    segment: { fromStep, toStep, startState: start === null ? null : start.state },
    knownAnswer: null,
    claim,
  });
  queueReplicas(ctx, { jobId: auditId, submittedAt: job.submittedAt }, 1);
}

function concludeAudit(ctx: CoordinatorContext, audit: JobRow, verdict: 'upheld' | 'refuted' | 'undecided') {
  if (!audit.parentJob || !audit.auditedReplica) throw new Error(`audit ${audit.jobId} has no parent`);
  const parent = ctx.store.getJob(audit.parentJob);
  if (parent?.state !== 'open') return;
  const replicas = ctx.store.listReplicas(parent.jobId);
  const decision = decideAfterAudit(
    jobSnapshot(ctx, parent, replicas),
    audit.auditedReplica,
    verdict,
    ctx.settings.replication,
  );
  applyDecision(ctx, parent, replicas, decision);
}
