/**
 * Accepting a requester's job: its blobs must already be stored, its models
 * and tensors pass the same validation the worker applies
 * (native/jobs/job-validation.ts), its offer meets the minimum, and its work
 * is measured for pricing. An accepted job is stored with one queued copy in
 * the same transaction; adaptive replication adds copies as providers lease.
 */
import type { BlobSource } from '../../../native/jobs/blob-ref.ts';
import { validateInferenceJob, validateTrainingJob } from '../../../native/jobs/job-validation.ts';
import { runTimeLimitMs, specBlobs } from '../../jobs/job-spec-view.ts';
import { outputsProblem } from '../../jobs/output-shape.ts';
import { offerProblem } from '../../payment/pricing.ts';
import type { CandidateResult } from '../../verification/job-decision.ts';
import { DEFAULT_TOLERANCES } from '../../verification/tensor-compare.ts';
import { NetworkError } from '../../wire/errors.ts';
import type { SubmitJobRequest } from '../../wire/jobs.ts';
import type { CoordinatorContext } from '../coordinator-context.ts';
import type { JobRow } from '../store/store-rows.ts';
import { queueReplicas } from './settlement.ts';

const MODEL_RULE_PREFIX = 'onnx.';

function measureFlops(ctx: CoordinatorContext, request: SubmitJobRequest): bigint | null {
  const source: BlobSource = { get: (sha256) => ctx.store.getBlob(sha256) };
  const { spec } = request;
  const validated = spec.kind === 'inference' ? validateInferenceJob(spec, source) : validateTrainingJob(spec, source);
  if (!validated.ok) {
    throw new NetworkError(
      validated.rule.startsWith(MODEL_RULE_PREFIX) ? 'model_rejected' : 'job_invalid',
      `The job was refused (${validated.rule}): ${validated.message}`,
    );
  }
  const perRun = validated.job.summary.estimatedFlops;
  if (perRun === null) return null;
  const runs = spec.kind === 'inference' ? spec.feeds.length : spec.steps;
  return BigInt(Math.round(perRun)) * BigInt(runs);
}

/** The known answer of a calibration job, checked against its spec; only calibrator accounts may give one. */
function calibrationAnswer(ctx: CoordinatorContext, requester: string, request: SubmitJobRequest): CandidateResult {
  const answer = request.knownAnswer as NonNullable<SubmitJobRequest['knownAnswer']>;
  if (!ctx.settings.calibrators.some((account) => account.toLowerCase() === requester.toLowerCase())) {
    throw new NetworkError(
      'calibration_not_allowed',
      `${requester} may not submit calibration jobs (jobs with a known answer); only the coordinator's calibrator accounts may. Submit the job without knownAnswer.`,
    );
  }
  if (request.spec.kind !== 'inference') {
    throw new NetworkError(
      'job_invalid',
      'Calibration jobs are inference jobs; training is checked by segment audits.',
    );
  }
  const problem = outputsProblem(request.spec, answer.outputs, answer.outputSha256);
  if (problem) throw new NetworkError('job_invalid', `The known answer does not fit the job: ${problem}.`);
  return answer;
}

/** Accepts a job and returns its id; the same clientRequestId returns the job it already created. */
export function submitJob(ctx: CoordinatorContext, requester: string, request: SubmitJobRequest): string {
  const { store } = ctx;
  if (request.clientRequestId !== undefined) {
    const existing = store.findJobByClientRequestId(requester, request.clientRequestId);
    if (existing) {
      if (JSON.stringify({ ...existing.spec, jobId: request.spec.jobId }) !== JSON.stringify(request.spec)) {
        throw new NetworkError(
          'client_request_conflict',
          `clientRequestId "${request.clientRequestId}" already created job ${existing.jobId} with another spec; use a new clientRequestId for a new job.`,
        );
      }
      return existing.jobId;
    }
  }
  const offer = offerProblem(request.offer, ctx.settings.pricing);
  if (offer) throw new NetworkError('offer_too_low', offer);
  const blobs = specBlobs(request.spec);
  const missing = store.missingBlobs(blobs.map((blob) => blob.sha256));
  if (missing.length > 0) {
    throw new NetworkError(
      'blobs_missing',
      `Upload ${missing.length} blob${missing.length > 1 ? 's' : ''} first (PUT /v1/blobs/:sha256): ${missing.join(', ')}.`,
    );
  }
  const flopsPerRun = measureFlops(ctx, request);
  if (request.offer.unit === 'gflop' && flopsPerRun === null) {
    throw new NetworkError(
      'flops_unknown',
      "The job's FLOPs cannot be estimated from its model (a MatMul, Gemm or Conv with unknown shapes); price it per device-second instead.",
    );
  }
  const calibration = request.knownAnswer ? calibrationAnswer(ctx, requester, request) : null;
  const now = ctx.now();
  const jobId = ctx.newId('job');
  const job: JobRow = {
    jobId,
    kind: calibration ? 'calibration' : request.spec.kind,
    requester,
    clientRequestId: request.clientRequestId ?? null,
    // Providers see the network's id for the job, not the requester's label.
    spec: { ...request.spec, jobId },
    offer: request.offer,
    tolerances: request.tolerances ?? DEFAULT_TOLERANCES,
    flopsPerRun,
    maxSeconds: Math.ceil(runTimeLimitMs(request.spec) / 1000),
    // A calibration job is settled from the start: its answer is known, and only its canaries run.
    state: calibration ? 'verified' : 'open',
    failure: null,
    submittedAt: now,
    updatedAt: now,
    verifiedAt: calibration ? now : null,
    canonicalReplica: null,
    method: calibration ? 'known-answer' : null,
    agreeing: null,
    cost: 0n,
    parentJob: null,
    auditedReplica: null,
    excludedAccount: null,
    segment: null,
    knownAnswer: calibration,
    claim: null,
  };
  store.insertJob(job);
  store.linkBlobsToJob(
    blobs.map((blob) => blob.sha256),
    jobId,
  );
  if (!calibration) queueReplicas(ctx, job, 1);
  return jobId;
}
