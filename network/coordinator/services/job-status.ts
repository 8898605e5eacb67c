/**
 * What a requester sees of its job: its state with one sentence saying what
 * happens next, its copies, its cost, and once verified the accepted result
 * and how it was verified.
 */
import { NetworkError } from '../../wire/errors.ts';
import type { JobState, JobStatus, VerifiedResult } from '../../wire/jobs.ts';
import type { CoordinatorContext } from '../coordinator-context.ts';
import type { JobRow, ReplicaRow } from '../store/store-rows.ts';
import { maxCopyReward } from './work-basis.ts';

export function requesterJob(ctx: CoordinatorContext, requester: string, jobId: string): JobRow {
  const job = ctx.store.getJob(jobId);
  if (!job || job.requester !== requester) {
    throw new NetworkError('job_not_found', `There is no job ${jobId} submitted by ${requester}.`);
  }
  return job;
}

function count(replicas: readonly ReplicaRow[], state: ReplicaRow['state']): number {
  return replicas.filter((replica) => replica.state === state).length;
}

function stateOf(job: JobRow, replicas: readonly ReplicaRow[]): JobState {
  if (job.state !== 'open') return job.state;
  if (count(replicas, 'submitted') > 0 || count(replicas, 'valid') > 0) return 'verifying';
  if (count(replicas, 'leased') > 0) return 'running';
  return 'queued';
}

const DESCRIPTIONS: Record<JobState, string> = {
  queued: 'Waiting for a provider whose devices can run it.',
  running: 'A provider is running it; the result is verified when it arrives.',
  verifying: 'Results arrived and are being verified (another copy or a checkpoint audit is running).',
  verified: 'Verified: fetch the result (calibration jobs have none; they check providers).',
  failed: 'Failed: see the failure for why and what to change.',
};

export function jobStatus(ctx: CoordinatorContext, job: JobRow): JobStatus {
  const replicas = ctx.store.listReplicas(job.jobId);
  const state = stateOf(job, replicas);
  return {
    jobId: job.jobId,
    kind: job.kind === 'training' ? 'training' : 'inference',
    state,
    description: DESCRIPTIONS[state],
    submittedAt: job.submittedAt,
    updatedAt: job.updatedAt,
    copies: {
      total: replicas.length - count(replicas, 'canceled'),
      queued: count(replicas, 'queued'),
      running: count(replicas, 'leased'),
      submitted: count(replicas, 'submitted'),
      valid: count(replicas, 'valid'),
      invalid: count(replicas, 'invalid'),
    },
    maxRewardPerCopy: maxCopyReward(job).toString(),
    cost: job.cost.toString(),
    failure: job.failure,
    verifiedAt: job.verifiedAt,
  };
}

export function verifiedResult(ctx: CoordinatorContext, job: JobRow): VerifiedResult {
  if (job.kind === 'calibration') {
    throw new NetworkError(
      'result_not_ready',
      `Job ${job.jobId} is a calibration job: it has no result of its own, it checks providers against the answer you gave.`,
    );
  }
  if (job.state === 'failed') {
    throw new NetworkError(
      'result_not_ready',
      `Job ${job.jobId} failed: ${job.failure?.message ?? 'no reason recorded'}`,
    );
  }
  const replica = job.canonicalReplica ? ctx.store.getReplica(job.canonicalReplica) : undefined;
  if (job.state !== 'verified' || !replica?.result || job.verifiedAt === null) {
    throw new NetworkError('result_not_ready', `Job ${job.jobId} is not verified yet; poll GET /v1/jobs/${job.jobId}.`);
  }
  const { result } = replica;
  return {
    jobId: job.jobId,
    kind: job.kind === 'training' ? 'training' : 'inference',
    verifiedAt: job.verifiedAt,
    outputs: result.outputs,
    outputSha256: result.outputSha256,
    appVersion: result.appVersion,
    onnxruntimeVersion: result.onnxruntimeVersion,
    executionProvider: result.executionProvider,
    checkpoints: result.checkpoints,
    verification: {
      method: job.method as VerifiedResult['verification']['method'],
      agreeingResults: job.agreeing ?? 1,
    },
    cost: job.cost.toString(),
  };
}
