/**
 * The provider's side of the protocol: leasing work, renewing or giving back
 * a lease, submitting a result and following its settlement.
 */
import { z } from 'zod';
import { JobSpecSchema } from '../jobs/job-spec-view.ts';
import { OutputGroupsSchema } from '../jobs/tensors.ts';
import {
  BlobRefSchema,
  EpochMsSchema,
  ExecutionProviderSchema,
  LeaseIdSchema,
  Sha256HexSchema,
  TokenAmountSchema,
  VersionStringSchema,
} from './common.ts';
import { CheckpointSchema } from './jobs.ts';

export const MAX_LEASES_PER_REQUEST = 16;

export const LeaseRequestSchema = z
  .object({
    /** How many leases to take at once (a provider that batches runs takes several). */
    max: z.number().int().min(1).max(MAX_LEASES_PER_REQUEST),
  })
  .strict();

/**
 * A checkpoint segment to re-run instead of the whole job: resume from
 * `startState` (the checkpoint after `fromStep` steps; null when fromStep is
 * 0, meaning the spec's initialParams), run steps fromStep+1 to `toStep` with
 * the spec's unchanged schedule, and report the parameters at toStep as the
 * only output group and the state there as the only checkpoint.
 */
export const SegmentSchema = z
  .object({
    fromStep: z.number().int().nonnegative(),
    toStep: z.number().int().positive(),
    startState: BlobRefSchema.nullable(),
  })
  .strict();
export type Segment = z.infer<typeof SegmentSchema>;

export const LeaseSchema = z
  .object({
    leaseId: LeaseIdSchema,
    /** Submit before this moment, or renew; afterwards the copy goes back to the queue. */
    expiresAt: EpochMsSchema,
    spec: JobSpecSchema,
    segment: SegmentSchema.nullable(),
    /** Every blob the run needs (GET /v1/blobs/:sha256), including a segment's start state. */
    blobs: z.array(BlobRefSchema),
    /** The most this lease can earn if its result is verified. */
    maxReward: TokenAmountSchema,
  })
  .strict();
export type Lease = z.infer<typeof LeaseSchema>;

export const LeaseResponseSchema = z
  .object({
    leases: z.array(LeaseSchema),
    /** When no work was given: how long to wait before asking again. */
    retryAfterMs: z.number().int().nonnegative(),
  })
  .strict();

export const LeaseIdParamsSchema = z.object({ leaseId: LeaseIdSchema }).strict();

export const RenewLeaseResponseSchema = z.object({ leaseId: LeaseIdSchema, expiresAt: EpochMsSchema }).strict();

export const ReleaseLeaseResponseSchema = z.object({ leaseId: LeaseIdSchema, released: z.literal(true) }).strict();

export const ResultSubmissionSchema = z
  .object({
    /** Inference: per feed, the wanted outputs in the spec's order. Training: one group, the final parameters. */
    outputs: OutputGroupsSchema,
    /** canonicalTensorDigest of `outputs` (native/jobs/canonical-tensors.ts, via network/jobs/tensors.ts outputGroupsSha256). */
    outputSha256: Sha256HexSchema,
    appVersion: VersionStringSchema,
    onnxruntimeVersion: VersionStringSchema,
    executionProvider: ExecutionProviderSchema,
    /** Time the device spent on this run, in ms. */
    deviceMs: z.number().int().nonnegative(),
    /** Training: a checkpoint at every interval and at the last step; segment re-runs: one, at toStep. Inference: none. */
    checkpoints: z.array(CheckpointSchema).max(10_000),
  })
  .strict();
export type ResultSubmission = z.infer<typeof ResultSubmissionSchema>;

export const SettlementOutcomeSchema = z.enum(['pending', 'valid', 'invalid', 'inconclusive']);

export const SubmitResultResponseSchema = z
  .object({
    leaseId: LeaseIdSchema,
    outcome: SettlementOutcomeSchema,
    /** What the result earned, once valid. */
    reward: TokenAmountSchema.nullable(),
    reason: z.string().nullable(),
  })
  .strict();
export type SubmitResultResponse = z.infer<typeof SubmitResultResponseSchema>;

export const SettlementSchema = z
  .object({
    /** Increasing; pass the last one seen as `after` to read only newer settlements. */
    seq: z.number().int().positive(),
    leaseId: LeaseIdSchema,
    outcome: z.enum(['valid', 'invalid', 'inconclusive', 'expired', 'released', 'canceled']),
    reward: TokenAmountSchema.nullable(),
    reason: z.string().nullable(),
    settledAt: EpochMsSchema,
  })
  .strict();
export type Settlement = z.infer<typeof SettlementSchema>;

export const SettlementsQuerySchema = z
  .object({
    after: z.coerce.number().int().nonnegative().default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const SettlementsResponseSchema = z
  .object({ settlements: z.array(SettlementSchema), next: z.number().int().nonnegative() })
  .strict();

export { Sha256HexSchema };
