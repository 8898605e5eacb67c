/**
 * The job contract between coordinator, agent and worker: what a job asks
 * for (its spec) and what it gives back (its result), each declared once with
 * its runtime schema. Jobs are data only: a model, tensors and numbers.
 * Session options are not part of a job (native/onnx/session-options.ts).
 *
 * specVersion is bumped for any change an older agent could misread; an agent
 * refuses versions it does not know instead of guessing.
 */
import { z } from 'zod';
import { TRAIN_STEP_OPTIMIZERS } from '../onnx/graphs/train-step-io.ts';
import { TENSOR_DTYPES } from '../onnx/tensor-dtypes.ts';
import { EXECUTION_PROVIDERS, ExecutionProviderSchema } from '../worker/session-options.ts';
import { BlobRefSchema, Sha256HexSchema } from './blob-ref.ts';

export const JOB_SPEC_VERSION = 1;

/** Inline tensor data is for small tensors; anything larger travels as a blob. */
export const MAX_INLINE_TENSOR_BYTES = 4 * 1024 * 1024;
export const MAX_TENSOR_RANK = 8;
export const MAX_FEEDS = 100_000;
export const MAX_RUNS_PER_BATCH = 4096;
export const MAX_TRAINING_STEPS = 10_000_000;

export const JobIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only');

export const TensorNameSchema = z.string().min(1).max(512);
export const TensorDtypeSchema = z.enum(TENSOR_DTYPES);

export const TensorDataSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('inline'),
    base64: z.base64().max(Math.ceil(MAX_INLINE_TENSOR_BYTES / 3) * 4),
  }),
  z.strictObject({ kind: z.literal('blob'), blob: BlobRefSchema }),
]);
export type TensorData = z.infer<typeof TensorDataSchema>;

/** One tensor: little-endian, row-major bytes of dtype, inline or in a blob. */
export const TensorSpecSchema = z.strictObject({
  name: TensorNameSchema,
  dtype: TensorDtypeSchema,
  dims: z
    .array(
      z
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    )
    .max(MAX_TENSOR_RANK),
  data: TensorDataSchema,
});
export type TensorSpec = z.infer<typeof TensorSpecSchema>;

/** The tensors of one run, by input name. */
export const FeedSchema = z.array(TensorSpecSchema).max(256);
export type Feed = z.infer<typeof FeedSchema>;

export const JobLimitsSchema = z.strictObject({
  /** Wall time of one session.run (one training step); longer ends the job as failed. */
  maxRunMs: z.int().min(1).max(600_000),
  /** Wall time of creating the session (a tiny nested-If model is known to take a minute). */
  maxSessionCreateMs: z.int().min(1).max(120_000),
  /** Memory of the worker process; Node and onnxruntime need about 0.6 GB before a job allocates anything. */
  maxMemoryMb: z.int().min(1024).max(65_536),
});
export type JobLimits = z.infer<typeof JobLimitsSchema>;

const uniqueStrings = <T extends z.ZodType<string>>(item: T, min: number, max: number) =>
  z
    .array(item)
    .min(min)
    .max(max)
    .refine((values) => new Set(values).size === values.length, 'must not repeat a value');

export const InferenceJobSpecSchema = z.strictObject({
  specVersion: z.literal(JOB_SPEC_VERSION),
  kind: z.literal('inference'),
  jobId: JobIdSchema,
  model: BlobRefSchema,
  /** One entry per session.run, in order; results come back in the same order. */
  feeds: z.array(FeedSchema).min(1).max(MAX_FEEDS),
  /** Output names to return, in this order. */
  outputs: uniqueStrings(TensorNameSchema, 1, 64),
  /** Preferred execution providers, best first; the agent uses the first one this machine has. */
  executionProviders: uniqueStrings(ExecutionProviderSchema, 1, EXECUTION_PROVIDERS.length),
  limits: JobLimitsSchema,
  /** How many feeds travel to the worker in one message (amortizes the IPC cost). */
  runsPerBatch: z.int().min(1).max(MAX_RUNS_PER_BATCH),
});
export type InferenceJobSpec = z.infer<typeof InferenceJobSpecSchema>;

const positiveRate = z.number().positive().max(1e3);

export const LearningRateScheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant'), value: positiveRate }),
  /** initial * factor^floor(step / everySteps). */
  z.strictObject({
    kind: z.literal('step'),
    initial: positiveRate,
    factor: z.number().positive().max(1),
    everySteps: z.int().min(1),
  }),
  /** Linear warmup to initial, then cosine decay to minimum at the last step. */
  z
    .strictObject({
      kind: z.literal('cosine'),
      initial: positiveRate,
      minimum: z.number().min(0).max(1e3),
      warmupSteps: z.int().min(0),
    })
    .refine((schedule) => schedule.minimum <= schedule.initial, 'minimum must not exceed initial'),
]);
export type LearningRateSchedule = z.infer<typeof LearningRateScheduleSchema>;

/** Rows of training data: features [rows, n] and labels (int64 [rows] or one-hot [rows, classes]). */
export const DataShardSchema = z.strictObject({
  features: TensorSpecSchema,
  labels: TensorSpecSchema,
});
export type DataShard = z.infer<typeof DataShardSchema>;

export const TrainingJobSpecSchema = z
  .strictObject({
    specVersion: z.literal(JOB_SPEC_VERSION),
    kind: z.literal('training'),
    jobId: JobIdSchema,
    /** A graph following native/onnx/graphs/train-step-io.ts: (params, state, X, Y, lr) -> (next params, state, loss). */
    trainStep: BlobRefSchema,
    /** Starting value of every parameter input, by name. */
    initialParams: z.array(TensorSpecSchema).min(1).max(1024),
    dataShards: z.array(DataShardSchema).min(1).max(1024),
    batchSize: z.int().min(1).max(65_536),
    steps: z.int().min(1).max(MAX_TRAINING_STEPS),
    /** Save a checkpoint after every this many steps; preemption loses at most this many. */
    checkpointInterval: z.int().min(1),
    learningRate: LearningRateScheduleSchema,
    optimizer: z.enum(TRAIN_STEP_OPTIMIZERS),
    /** Decides the order of batches; the same seed replays the same run. */
    seed: z
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    executionProviders: uniqueStrings(ExecutionProviderSchema, 1, EXECUTION_PROVIDERS.length),
    limits: JobLimitsSchema,
  })
  .refine((spec) => spec.checkpointInterval <= spec.steps, {
    message: 'checkpointInterval must not exceed steps',
    path: ['checkpointInterval'],
  });
export type TrainingJobSpec = z.infer<typeof TrainingJobSpecSchema>;

export const JobSpecSchema = z.discriminatedUnion('kind', [InferenceJobSpecSchema, TrainingJobSpecSchema]);
export type JobSpec = z.infer<typeof JobSpecSchema>;

// ---- results ---------------------------------------------------------------

const VersionStringSchema = z.string().min(1).max(64);

/** Where and with what a result was computed, so verifiers compare like with like. */
const ProvenanceShape = {
  jobId: JobIdSchema,
  executionProvider: ExecutionProviderSchema,
  appVersion: VersionStringSchema,
  onnxruntimeVersion: VersionStringSchema,
};

export const InferenceResultSchema = z.strictObject({
  specVersion: z.literal(JOB_SPEC_VERSION),
  kind: z.literal('inference'),
  ...ProvenanceShape,
  /** Per feed, the wanted outputs in the spec's order. */
  outputs: z.array(z.array(TensorSpecSchema)).min(1).max(MAX_FEEDS),
  /** SHA-256 of the canonical bytes of all outputs (native/jobs/canonical-tensors.ts). */
  outputSha256: Sha256HexSchema,
  stats: z.strictObject({
    sessionCreateMs: z.number().min(0),
    totalRunMs: z.number().min(0),
    runs: z.int().min(0),
  }),
});
export type InferenceResult = z.infer<typeof InferenceResultSchema>;

export const LossRecordSchema = z.strictObject({ step: z.int().min(1), loss: z.number() });
export type LossRecord = z.infer<typeof LossRecordSchema>;

export const TrainingResultSchema = z.strictObject({
  specVersion: z.literal(JOB_SPEC_VERSION),
  kind: z.literal('training'),
  ...ProvenanceShape,
  stepsCompleted: z.int().min(0).max(MAX_TRAINING_STEPS),
  finalParams: z.array(TensorSpecSchema).min(1),
  /** Loss of every step, in order (step numbers start at 1). */
  losses: z.array(LossRecordSchema).max(MAX_TRAINING_STEPS),
  /** SHA-256 of the canonical bytes of finalParams, in the spec's order. */
  paramsSha256: Sha256HexSchema,
  /** The checkpoint step this run resumed from; null for a run from the start. */
  resumedFromStep: z.int().min(0).nullable(),
});
export type TrainingResult = z.infer<typeof TrainingResultSchema>;

export const JobResultSchema = z.discriminatedUnion('kind', [InferenceResultSchema, TrainingResultSchema]);
export type JobResult = z.infer<typeof JobResultSchema>;

/** What a training job saves every checkpointInterval steps, to resume with identical results. */
export const TrainingCheckpointSchema = z.strictObject({
  specVersion: z.literal(JOB_SPEC_VERSION),
  jobId: JobIdSchema,
  /** SHA-256 of the spec this run belongs to: a reused job id with another spec never resumes from it. */
  specSha256: Sha256HexSchema,
  /** Steps completed when this was saved; the next step to run is step + 1. */
  step: z.int().min(0).max(MAX_TRAINING_STEPS),
  params: z.array(TensorSpecSchema).min(1),
  /** Adam moments (empty for SGD), named as the train-step graph's inputs. */
  optimizerState: z.array(TensorSpecSchema),
  losses: z.array(LossRecordSchema).max(MAX_TRAINING_STEPS),
  /** SHA-256 of the canonical bytes of params then optimizerState, to detect a torn file. */
  stateSha256: Sha256HexSchema,
});
export type TrainingCheckpoint = z.infer<typeof TrainingCheckpointSchema>;
