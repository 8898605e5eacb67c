/**
 * What a copy of a stored job is paid for, from the job row: the requester's
 * offer, the FLOP estimate, the time limit and, for a segment audit, the
 * share of the training steps it re-runs.
 */
import { specStepCount } from '../../jobs/job-spec-view.ts';
import { type JobWorkBasis, maxRewardPerCopy, rewardForCopy } from '../../payment/pricing.ts';
import type { JobRow } from '../store/store-rows.ts';

export function workBasis(job: JobRow): JobWorkBasis {
  return { offer: job.offer, flopsPerRun: job.flopsPerRun, maxSeconds: job.maxSeconds, steps: specStepCount(job.spec) };
}

export function segmentSteps(job: JobRow): number | null {
  return job.segment ? job.segment.toStep - job.segment.fromStep : null;
}

export function copyReward(job: JobRow, deviceMs: number): bigint {
  return rewardForCopy(workBasis(job), deviceMs, segmentSteps(job));
}

export function maxCopyReward(job: JobRow): bigint {
  return maxRewardPerCopy(workBasis(job), segmentSteps(job));
}
