/**
 * Every rule a job can be refused by, across the layers that check it: the
 * spec's schema, blobs, the model, input tensors and the training contract.
 * The codes double as IdlehiveError codes (see rejectionError).
 */
import { INPUT_RULES, MODEL_RULES } from '../onnx/validation-rules.ts';
import { BLOB_RULES } from './blob-ref.ts';

export const JOB_RULES = [
  /** The spec does not match its schema (or names an unknown specVersion). */
  'job.spec',
  /** A wanted output the model does not have. */
  'job.unknown_output',
  /** The model's weights alone exceed the job's memory limit. */
  'job.memory_limit',
  /** None of the job's execution providers is usable on this machine. */
  'job.execution_provider',
  /** The train-step graph does not have the inputs and outputs the step loop feeds and reads. */
  'training.graph_io',
  /** A data shard that does not fit the graph or the other shards. */
  'training.shard',
] as const;
export type JobRule = (typeof JOB_RULES)[number];

export const ALL_JOB_REJECTION_RULES = [...MODEL_RULES, ...INPUT_RULES, ...BLOB_RULES, ...JOB_RULES] as const;
export type JobRejectionRule = (typeof ALL_JOB_REJECTION_RULES)[number];
