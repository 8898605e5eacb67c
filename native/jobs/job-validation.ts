/**
 * Everything a job must pass before a worker is started for it, in order:
 * its spec's schema, its blobs (present, right size, right hash), its model
 * (native/onnx/model-validation.ts), then its tensors against the model. A
 * rejection names the rule that failed; success hands back the decoded parts
 * so nothing is fetched, hashed or parsed twice.
 */
import type { z } from 'zod';
import { TrainStepNames, trainStepInputNames, trainStepOutputNames } from '../onnx/graphs/train-step-io.ts';
import { DEFAULT_INPUT_LIMITS, type InputLimits, validateFeed } from '../onnx/input-validation.ts';
import { DEFAULT_MODEL_LIMITS, type ModelLimits } from '../onnx/model-limits.ts';
import { type ModelSummary, type ModelValueSummary, validateModel } from '../onnx/model-validation.ts';
import { type Rejection, reject } from '../onnx/validation-rules.ts';
import { type BlobSource, readVerifiedBlob } from './blob-ref.ts';
import type { JobRejectionRule } from './job-rules.ts';
import {
  type InferenceJobSpec,
  InferenceJobSpecSchema,
  type TensorSpec,
  type TrainingJobSpec,
  TrainingJobSpecSchema,
} from './job-spec.ts';
import { decodeTensorSpec, type TensorBytes } from './tensor-bytes.ts';
import type { TrainingShard } from './training-batches.ts';

export interface JobValidationLimits {
  readonly model: ModelLimits;
  readonly input: InputLimits;
}

export const DEFAULT_JOB_VALIDATION_LIMITS: JobValidationLimits = {
  model: DEFAULT_MODEL_LIMITS,
  input: DEFAULT_INPUT_LIMITS,
};

export type JobRejection = Rejection<JobRejectionRule>;

export interface ValidatedInferenceJob {
  readonly spec: InferenceJobSpec;
  readonly modelBytes: Uint8Array;
  readonly summary: ModelSummary;
  /** Per feed, its tensors with their bytes. */
  readonly feeds: readonly (readonly TensorBytes[])[];
}

export interface ValidatedTrainingJob {
  readonly spec: TrainingJobSpec;
  readonly modelBytes: Uint8Array;
  readonly summary: ModelSummary;
  readonly initialParams: readonly TensorBytes[];
  readonly shards: readonly TrainingShard[];
}

function parseSpec<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> | JobRejection {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'the spec';
  return reject('job.spec', `the job spec is invalid at ${where}: ${issue?.message ?? 'unknown problem'}.`);
}

function isRejection(value: unknown): value is JobRejection {
  return typeof value === 'object' && value !== null && 'ok' in value && (value as { ok: unknown }).ok === false;
}

function loadModel(
  ref: InferenceJobSpec['model'],
  blobs: BlobSource,
  limits: JobValidationLimits,
  maxMemoryMb: number,
): JobRejection | { bytes: Uint8Array; summary: ModelSummary } {
  if (ref.bytes > limits.model.maxModelBytes) {
    return reject('onnx.model_bytes', `the model is ${ref.bytes} bytes; the limit is ${limits.model.maxModelBytes}.`);
  }
  const bytes = readVerifiedBlob(blobs, ref, 'model');
  if (isRejection(bytes)) return bytes;
  const validated = validateModel(bytes, limits.model);
  if (!validated.ok) return validated;
  const weightsMb = validated.summary.initializerBytes / (1024 * 1024);
  if (weightsMb > maxMemoryMb) {
    return reject(
      'job.memory_limit',
      `the model's weights alone need ${weightsMb.toFixed(1)} MB; the job allows the worker ${maxMemoryMb} MB.`,
    );
  }
  return { bytes, summary: validated.summary };
}

function decodeTensors(specs: readonly TensorSpec[], blobs: BlobSource): TensorBytes[] | JobRejection {
  const tensors: TensorBytes[] = [];
  for (const spec of specs) {
    const tensor = decodeTensorSpec(spec, blobs);
    if (isRejection(tensor)) return tensor;
    tensors.push(tensor);
  }
  return tensors;
}

export function validateInferenceJob(
  raw: unknown,
  blobs: BlobSource,
  limits: JobValidationLimits = DEFAULT_JOB_VALIDATION_LIMITS,
): { readonly ok: true; readonly job: ValidatedInferenceJob } | JobRejection {
  const spec = parseSpec(InferenceJobSpecSchema, raw);
  if (isRejection(spec)) return spec;
  const model = loadModel(spec.model, blobs, limits, spec.limits.maxMemoryMb);
  if (isRejection(model)) return model;
  const outputNames = new Set(model.summary.outputs.map((output) => output.name));
  const unknown = spec.outputs.find((name) => !outputNames.has(name));
  if (unknown !== undefined) {
    return reject('job.unknown_output', `the job asks for output '${unknown}', which the model does not have.`);
  }
  const feeds: TensorBytes[][] = [];
  for (const [index, feedSpec] of spec.feeds.entries()) {
    const feed = decodeTensors(feedSpec, blobs);
    if (isRejection(feed)) return feed;
    const checked = validateFeed(feed, model.summary.inputs, limits.input);
    if (!checked.ok) return { ...checked, message: `feed ${index}: ${checked.message}` };
    feeds.push(feed);
  }
  return { ok: true, job: { spec, modelBytes: model.bytes, summary: model.summary, feeds } };
}

function checkTrainStepInterface(summary: ModelSummary, spec: TrainingJobSpec): JobRejection | null {
  const params = spec.initialParams.map((param) => param.name);
  const wantInputs = trainStepInputNames(params, spec.optimizer);
  const haveInputs = summary.inputs.filter((input) => !input.hasDefault).map((input) => input.name);
  const missingInput = wantInputs.find((name) => !haveInputs.includes(name));
  const extraInput = haveInputs.find((name) => !wantInputs.includes(name));
  if (missingInput !== undefined || extraInput !== undefined) {
    const problem =
      missingInput !== undefined
        ? `lacks input '${missingInput}'`
        : `has input '${extraInput}' the step loop does not feed`;
    return reject('training.graph_io', `the train-step graph ${problem} (optimizer ${spec.optimizer}).`);
  }
  const haveOutputs = new Set(summary.outputs.map((output) => output.name));
  const missingOutput = trainStepOutputNames(params, spec.optimizer).find((name) => !haveOutputs.has(name));
  if (missingOutput !== undefined) {
    return reject('training.graph_io', `the train-step graph lacks output '${missingOutput}'.`);
  }
  return null;
}

function declaredInput(summary: ModelSummary, name: string): ModelValueSummary | undefined {
  return summary.inputs.find((input) => input.name === name);
}

/** Each shard's features and labels must fit X and Y, row counts must agree, and a batch must fit in the data. */
function checkShards(
  shards: readonly TrainingShard[],
  summary: ModelSummary,
  spec: TrainingJobSpec,
): JobRejection | null {
  const x = declaredInput(summary, TrainStepNames.features);
  const y = declaredInput(summary, TrainStepNames.labels);
  if (!x || !y) return reject('training.graph_io', 'the train-step graph lacks X or Y.');
  let rows = 0;
  for (const [index, shard] of shards.entries()) {
    const where = `data shard ${index}`;
    // A shard is a feed of X and Y with a free row count; reuse the input checks with the batch dim matched.
    const checked = validateFeed([shard.features, shard.labels], [x, y]);
    if (!checked.ok) return reject('training.shard', `${where}: ${checked.message}`);
    const [featureRows, labelRows] = [shard.features.dims[0], shard.labels.dims[0]];
    if (featureRows !== labelRows) {
      return reject('training.shard', `${where} has ${featureRows} rows of features but ${labelRows} of labels.`);
    }
    rows += featureRows ?? 0;
  }
  if (rows < spec.batchSize) {
    return reject('training.shard', `the shards hold ${rows} rows, fewer than one batch of ${spec.batchSize}.`);
  }
  return null;
}

export function validateTrainingJob(
  raw: unknown,
  blobs: BlobSource,
  limits: JobValidationLimits = DEFAULT_JOB_VALIDATION_LIMITS,
): { readonly ok: true; readonly job: ValidatedTrainingJob } | JobRejection {
  const spec = parseSpec(TrainingJobSpecSchema, raw);
  if (isRejection(spec)) return spec;
  const model = loadModel(spec.trainStep, blobs, limits, spec.limits.maxMemoryMb);
  if (isRejection(model)) return model;
  const interfaceProblem = checkTrainStepInterface(model.summary, spec);
  if (interfaceProblem) return interfaceProblem;
  const initialParams = decodeTensors(spec.initialParams, blobs);
  if (isRejection(initialParams)) return initialParams;
  const paramInputs = model.summary.inputs.filter((input) => initialParams.some((param) => param.name === input.name));
  const checkedParams = validateFeed(initialParams, paramInputs, limits.input);
  if (!checkedParams.ok) return checkedParams;
  const shards: TrainingShard[] = [];
  for (const shard of spec.dataShards) {
    const features = decodeTensorSpec({ ...shard.features, name: TrainStepNames.features }, blobs);
    if (isRejection(features)) return features;
    const labels = decodeTensorSpec({ ...shard.labels, name: TrainStepNames.labels }, blobs);
    if (isRejection(labels)) return labels;
    shards.push({ features, labels });
  }
  const shardProblem = checkShards(shards, model.summary, spec);
  if (shardProblem) return shardProblem;
  return { ok: true, job: { spec, modelBytes: model.bytes, summary: model.summary, initialParams, shards } };
}
