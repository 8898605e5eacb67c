/**
 * The requester's side of the protocol: submitting a job, following it, and
 * reading its verified result.
 */
import { z } from 'zod';
import { JobSpecSchema } from '../jobs/job-spec-view.ts';
import { OutputGroupsSchema } from '../jobs/tensors.ts';
import { OfferSchema } from '../payment/pricing.ts';
import { OutputTolerancesSchema } from '../verification/tensor-compare.ts';
import {
  BlobRefSchema,
  EpochMsSchema,
  ExecutionProviderSchema,
  JobIdSchema,
  Sha256HexSchema,
  TokenAmountSchema,
  VersionStringSchema,
} from './common.ts';

export const ClientRequestIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 letters, digits or _ . : -');

export const SubmitJobRequestSchema = z
  .object({
    spec: JobSpecSchema,
    offer: OfferSchema,
    /** How far two providers' outputs may differ and still count as the same answer. */
    tolerances: OutputTolerancesSchema.optional(),
    /**
     * Calibration jobs only (accounts the coordinator lists as calibrators):
     * the answer, computed by the operator. The job is never run for its own
     * sake; providers get it as a check, judged against this answer, which is
     * how new providers prove themselves and cheaters are caught even where
     * too few providers exist to replicate every job.
     */
    knownAnswer: z.object({ outputs: OutputGroupsSchema, outputSha256: Sha256HexSchema }).strict().optional(),
    /**
     * Makes submission idempotent: the same id from the same requester returns
     * the job it already created instead of a second one.
     */
    clientRequestId: ClientRequestIdSchema.optional(),
  })
  .strict();
export type SubmitJobRequest = z.infer<typeof SubmitJobRequestSchema>;

export const JobStateSchema = z.enum(['queued', 'running', 'verifying', 'verified', 'failed']);
export type JobState = z.infer<typeof JobStateSchema>;

export const JobStatusSchema = z
  .object({
    jobId: JobIdSchema,
    kind: z.enum(['inference', 'training']),
    state: JobStateSchema,
    /** One sentence saying where the job is and what happens next. */
    description: z.string(),
    submittedAt: EpochMsSchema,
    updatedAt: EpochMsSchema,
    copies: z
      .object({
        total: z.number().int().nonnegative(),
        queued: z.number().int().nonnegative(),
        running: z.number().int().nonnegative(),
        submitted: z.number().int().nonnegative(),
        valid: z.number().int().nonnegative(),
        invalid: z.number().int().nonnegative(),
      })
      .strict(),
    /** The most one copy can earn its provider. */
    maxRewardPerCopy: TokenAmountSchema,
    /** What verified copies (and checkpoint audits) of this job have earned so far. */
    cost: TokenAmountSchema,
    failure: z.object({ code: z.string(), message: z.string() }).strict().nullable(),
    verifiedAt: EpochMsSchema.nullable(),
  })
  .strict();
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const CheckpointSchema = z
  .object({
    step: z.number().int().positive(),
    /** The worker's TrainingCheckpoint (native/jobs/job-spec.ts) as a JSON blob. */
    state: BlobRefSchema,
  })
  .strict();
export type Checkpoint = z.infer<typeof CheckpointSchema>;

export const VerifiedResultSchema = z
  .object({
    jobId: JobIdSchema,
    kind: z.enum(['inference', 'training']),
    verifiedAt: EpochMsSchema,
    /** One group per feed (inference) or one group of trained parameters (training). */
    outputs: OutputGroupsSchema,
    outputSha256: Sha256HexSchema,
    appVersion: VersionStringSchema,
    onnxruntimeVersion: VersionStringSchema,
    executionProvider: ExecutionProviderSchema,
    /** Training: every checkpoint of the accepted run; the last one is the final state. */
    checkpoints: z.array(CheckpointSchema),
    verification: z
      .object({
        method: z.enum(['trusted', 'quorum', 'segment-audit']),
        /** Results from distinct providers that agreed with this one (1 when accepted from a trusted provider). */
        agreeingResults: z.number().int().positive(),
      })
      .strict(),
    cost: TokenAmountSchema,
  })
  .strict();
export type VerifiedResult = z.infer<typeof VerifiedResultSchema>;

export const JobIdParamsSchema = z.object({ jobId: JobIdSchema }).strict();
