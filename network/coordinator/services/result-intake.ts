/**
 * Accepting a provider's result: the lease must be its own and active, the
 * result must have the shape the spec asks for and the hash it claims, and
 * every checkpoint it names must be uploaded. Then the result is stored and
 * the job decided in one transaction. Sending the same result again is
 * answered as the first time, so a provider that lost the reply can retry.
 */
import { checkpointSteps } from '../../jobs/job-spec-view.ts';
import { outputsProblem } from '../../jobs/output-shape.ts';
import { NetworkError } from '../../wire/errors.ts';
import type { ResultSubmission, SubmitResultResponse } from '../../wire/leases.ts';
import type { CoordinatorContext } from '../coordinator-context.ts';
import type { JobRow, ReplicaRow } from '../store/store-rows.ts';
import { activeLease } from './leasing.ts';
import { settleJob } from './settlement.ts';

/** Null when the result fits the job; otherwise what is wrong with it. */
export function resultProblem(job: JobRow, result: ResultSubmission): string | null {
  const { spec } = job;
  if (!spec.executionProviders.includes(result.executionProvider)) {
    return `the job allows execution providers ${spec.executionProviders.join(', ')}, not ${result.executionProvider}`;
  }
  const outputs = outputsProblem(spec, result.outputs, result.outputSha256, job.segment ? 1 : undefined);
  if (outputs) return outputs;
  const wanted = spec.kind === 'inference' ? [] : job.segment ? [job.segment.toStep] : checkpointSteps(spec);
  const got = result.checkpoints.map((checkpoint) => checkpoint.step);
  if (got.length !== wanted.length || got.some((step, i) => step !== wanted[i])) {
    return wanted.length === 0
      ? 'an inference result carries no checkpoints'
      : `the result must carry checkpoints at steps [${wanted.join(', ')}] in order, and it has [${got.join(', ')}]`;
  }
  return null;
}

export function settlementReply(leaseId: string, replica: ReplicaRow): SubmitResultResponse {
  const settled = replica.state === 'valid' || replica.state === 'invalid' || replica.state === 'inconclusive';
  return {
    leaseId,
    outcome: settled ? (replica.state as 'valid' | 'invalid' | 'inconclusive') : 'pending',
    reward: replica.state === 'valid' && replica.reward !== null ? replica.reward.toString() : null,
    reason: settled ? replica.reason : null,
  };
}

export function submitResult(
  ctx: CoordinatorContext,
  account: string,
  leaseId: string,
  result: ResultSubmission,
): SubmitResultResponse {
  const { store } = ctx;
  const existing = store.getLease(leaseId);
  if (existing && existing.account === account && existing.state === 'submitted') {
    const replica = store.getReplica(existing.replicaId) as ReplicaRow;
    if (replica.result?.outputSha256 !== result.outputSha256) {
      throw new NetworkError(
        'result_conflict',
        `Lease ${leaseId} already has a result with output hash ${replica.result?.outputSha256}; a lease takes one result.`,
      );
    }
    return settlementReply(leaseId, replica);
  }
  const lease = activeLease(ctx, account, leaseId);
  const replica = store.getReplica(lease.replicaId) as ReplicaRow;
  const job = store.getJob(replica.jobId) as JobRow;
  const problem = resultProblem(job, result);
  if (problem) throw new NetworkError('result_invalid', `The result for lease ${leaseId} was refused: ${problem}.`);
  const checkpointBlobs = result.checkpoints.map((checkpoint) => checkpoint.state.sha256);
  const missing = store.missingBlobs(checkpointBlobs);
  if (missing.length > 0) {
    throw new NetworkError(
      'blobs_missing',
      `Upload the checkpoint blob${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (PUT /v1/blobs/:sha256) before submitting the result.`,
    );
  }
  const now = ctx.now();
  store.updateReplica(replica.replicaId, { state: 'submitted', result, updatedAt: now });
  store.setLeaseState(leaseId, 'submitted');
  // The requester reads the checkpoints of its own training job's result.
  if (job.kind === 'training') store.linkBlobsToJob(checkpointBlobs, job.jobId);
  settleJob(ctx, job.jobId);
  return settlementReply(leaseId, store.getReplica(replica.replicaId) as ReplicaRow);
}
