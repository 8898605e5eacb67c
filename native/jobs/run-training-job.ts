/**
 * Runs a validated training job in one sandboxed worker: the step loop lives
 * here (the worker cannot write files), feeding each step's new parameters and
 * optimizer state back as the next step's inputs and saving a checkpoint every
 * checkpointInterval steps. Batches and learning rates are pure functions of
 * (spec, step), so a run resumed from a checkpoint at step k computes exactly
 * what an uninterrupted run computes after step k (same seed, same device).
 */
import { createHash } from 'node:crypto';
import { IdlehiveError } from '../../agent/errors.ts';
import { APP_VERSION } from '../../agent/version.ts';
import { optimizerStateNames, TrainStepNames, trainStepOutputNames } from '../onnx/graphs/train-step-io.ts';
import type { WorkerSandbox } from '../sandbox/worker-sandbox.ts';
import { type ExecutionProvider, sessionOptionsFor } from '../worker/session-options.ts';
import type { TensorPayload } from '../worker/tensor-payload.ts';
import { canonicalTensorDigest } from './canonical-tensors.ts';
import { type CheckpointStore, checkpointDigest } from './checkpoint-store.ts';
import type { JobProgress } from './job-outcome.ts';
import {
  JOB_SPEC_VERSION,
  type LossRecord,
  type TrainingCheckpoint,
  type TrainingJobSpec,
  type TrainingResult,
  TrainingResultSchema,
} from './job-spec.ts';
import { floatScalar, fromPayload, payloadToSpec, toPayload } from './job-tensors.ts';
import type { ValidatedTrainingJob } from './job-validation.ts';
import type { JobWorker } from './job-worker.ts';
import { decodeTensorSpec } from './tensor-bytes.ts';
import { assembleBatch, totalRows } from './training-batches.ts';
import { BatchSampler, learningRateAt } from './training-schedule.ts';

export interface TrainingRunSettings {
  readonly threads: number;
  readonly isDutyCycled: boolean;
  readonly executionProvider: ExecutionProvider;
  readonly checkpoints: CheckpointStore;
  readonly sandbox?: WorkerSandbox;
  readonly onProgress?: (progress: JobProgress) => void;
}

/** The digest that ties a checkpoint to the exact spec it was made for. */
export function trainingSpecDigest(spec: TrainingJobSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex');
}

interface TrainingState {
  step: number;
  params: Map<string, TensorPayload>;
  optimizerState: Map<string, TensorPayload>;
  losses: LossRecord[];
  resumedFromStep: number | null;
}

function zerosLike(payload: TensorPayload): TensorPayload {
  const ArrayType = payload.data.constructor as new (length: number) => TensorPayload['data'];
  return { ...payload, dims: [...payload.dims], data: new ArrayType(payload.data.length) } as TensorPayload;
}

function decodeSpecs(specs: TrainingCheckpoint['params']): Map<string, TensorPayload> {
  const map = new Map<string, TensorPayload>();
  for (const spec of specs) {
    const tensor = decodeTensorSpec(spec, { get: () => undefined });
    if ('ok' in tensor) throw new RangeError(tensor.message);
    map.set(spec.name, toPayload(tensor));
  }
  return map;
}

/** Where the run starts: its last good checkpoint for this very spec, or step 0. */
export function initialTrainingState(job: ValidatedTrainingJob, checkpoints: CheckpointStore): TrainingState {
  const { spec } = job;
  const saved = checkpoints.load(spec.jobId);
  if (saved !== null && saved.specSha256 === trainingSpecDigest(spec) && saved.step <= spec.steps) {
    return {
      step: saved.step,
      params: decodeSpecs(saved.params),
      optimizerState: decodeSpecs(saved.optimizerState),
      losses: [...saved.losses],
      resumedFromStep: saved.step,
    };
  }
  const params = new Map(job.initialParams.map((tensor) => [tensor.name, toPayload(tensor)]));
  const optimizerState = new Map<string, TensorPayload>();
  for (const [name, value] of params) {
    for (const [input] of optimizerStateNames(spec.optimizer, name)) optimizerState.set(input, zerosLike(value));
  }
  return { step: 0, params, optimizerState, losses: [], resumedFromStep: null };
}

function specsOf(map: Map<string, TensorPayload>) {
  return [...map].map(([name, payload]) => payloadToSpec(name, payload));
}

function saveCheckpoint(spec: TrainingJobSpec, state: TrainingState, checkpoints: CheckpointStore): void {
  const params = specsOf(state.params);
  const optimizerState = specsOf(state.optimizerState);
  checkpoints.save({
    specVersion: JOB_SPEC_VERSION,
    jobId: spec.jobId,
    specSha256: trainingSpecDigest(spec),
    step: state.step,
    params,
    optimizerState,
    losses: state.losses,
    stateSha256: checkpointDigest({ params, optimizerState }),
  });
}

function paramDtype(job: ValidatedTrainingJob): 'float32' | 'float64' {
  const lr = job.summary.inputs.find((input) => input.name === TrainStepNames.learningRate);
  return lr?.dtype === 'float64' ? 'float64' : 'float32';
}

export async function runTrainingJob(
  job: ValidatedTrainingJob,
  worker: JobWorker,
  settings: TrainingRunSettings,
): Promise<TrainingResult> {
  const { spec } = job;
  const state = initialTrainingState(job, settings.checkpoints);
  const report = (phase: JobProgress['phase']) =>
    settings.onProgress?.({ jobId: spec.jobId, phase, done: state.step, total: spec.steps });
  report('starting');
  const handle = await worker.start(spec.limits.maxMemoryMb * 1024 * 1024, settings.sandbox);
  report('loading');
  await handle.load({
    modelBytes: job.modelBytes,
    sessionOptions: sessionOptionsFor({ threads: settings.threads, isDutyCycled: settings.isDutyCycled }),
    executionProviders: [settings.executionProvider],
    timeoutMs: spec.limits.maxSessionCreateMs,
  });
  const paramNames = job.initialParams.map((tensor) => tensor.name);
  const outputNames = trainStepOutputNames(paramNames, spec.optimizer);
  const dtype = paramDtype(job);
  const sampler = new BatchSampler(spec.seed, totalRows(job.shards), spec.batchSize);
  const names = { features: TrainStepNames.features, labels: TrainStepNames.labels };
  while (state.step < spec.steps) {
    const step = state.step + 1;
    const batch = assembleBatch(job.shards, sampler.rowsForStep(step), names);
    const feeds: Record<string, TensorPayload> = Object.fromEntries([...state.params, ...state.optimizerState]);
    feeds[TrainStepNames.features] = toPayload(batch.features);
    feeds[TrainStepNames.labels] = toPayload(batch.labels);
    feeds[TrainStepNames.learningRate] = floatScalar(dtype, learningRateAt(spec.learningRate, step, spec.steps));
    if (spec.optimizer === 'adam') feeds[TrainStepNames.adamStep] = floatScalar(dtype, step);
    const { results } = await handle.runBatch({ runs: [feeds], outputNames, perRunTimeoutMs: spec.limits.maxRunMs });
    const outputs = results[0]?.outputs ?? {};
    const loss = Number(outputs[TrainStepNames.loss]?.data[0]);
    if (!Number.isFinite(loss)) {
      throw new IdlehiveError(
        'training.diverged',
        `Training diverged at step ${step} (the loss is ${loss}); lower the learning rate.`,
      );
    }
    for (const name of paramNames) state.params.set(name, outputs[TrainStepNames.nextParam(name)] as TensorPayload);
    for (const name of paramNames) {
      for (const [input, output] of optimizerStateNames(spec.optimizer, name)) {
        state.optimizerState.set(input, outputs[output] as TensorPayload);
      }
    }
    state.losses.push({ step, loss });
    state.step = step;
    if (step % spec.checkpointInterval === 0 || step === spec.steps) {
      saveCheckpoint(spec, state, settings.checkpoints);
      report('running');
    }
  }
  await handle.close();
  const finalParams = paramNames.map((name) => fromPayload(name, state.params.get(name) as TensorPayload));
  settings.checkpoints.remove(spec.jobId);
  return TrainingResultSchema.parse({
    specVersion: JOB_SPEC_VERSION,
    kind: 'training',
    jobId: spec.jobId,
    executionProvider: settings.executionProvider,
    appVersion: APP_VERSION,
    onnxruntimeVersion: handle.info.onnxruntimeVersion,
    stepsCompleted: state.step,
    finalParams: finalParams.map((tensor) =>
      payloadToSpec(tensor.name, state.params.get(tensor.name) as TensorPayload),
    ),
    losses: state.losses,
    paramsSha256: canonicalTensorDigest([finalParams]),
    resumedFromStep: state.resumedFromStep,
  } satisfies TrainingResult);
}
