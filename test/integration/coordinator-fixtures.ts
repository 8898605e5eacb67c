/**
 * Real jobs and real answers for the coordinator tests: a small MLP
 * classifier built with the project's graph builder, its inputs seeded, and
 * its outputs computed by onnxruntime in this process, the same library the
 * worker runs. A dishonest provider is one that changes those outputs.
 */
import ort from 'onnxruntime-node';
import { blobRefOf } from '../../native/jobs/blob-ref.ts';
import { JOB_SPEC_VERSION } from '../../native/jobs/job-spec.ts';
import { bytesOf, inlineTensorSpec } from '../../native/jobs/tensor-bytes.ts';
import { buildMlpInference, MLP_PROBABILITIES } from '../../native/onnx/graphs/mlp-inference.ts';
import { initMlpParams } from '../../native/onnx/graphs/mlp-params.ts';
import { TrainStepNames } from '../../native/onnx/graphs/train-step-io.ts';
import { encodeModel } from '../../native/onnx/onnx-proto.ts';
import { normalArray, seededRandom } from '../../native/onnx/seeded-random.ts';
import type { InferenceJobSpec } from '../../network/jobs/job-spec-view.ts';
import { float32Tensor, type InlineTensor, type OutputGroups, tensorValues } from '../../network/jobs/tensors.ts';
import type { ProviderProfile } from '../../network/wire/sessions.ts';

export const LAYERS = [4, 8, 3] as const;
const ROWS = 5;

export interface ExampleJob {
  spec: InferenceJobSpec;
  model: Uint8Array;
}

/** A classifier model (weights from `seed`) and `feeds` batches of seeded inputs. */
export function classifierJob(seed: number, feeds = 1): ExampleJob {
  const params = initMlpParams(LAYERS, seed, 'float32');
  const model = encodeModel(buildMlpInference({ layerSizes: LAYERS, params }));
  const random = seededRandom(seed + 1);
  return {
    model,
    spec: {
      specVersion: JOB_SPEC_VERSION,
      kind: 'inference',
      jobId: `example.classifier-${seed}`,
      model: blobRefOf(model),
      feeds: Array.from({ length: feeds }, () => [
        inlineTensorSpec({
          name: TrainStepNames.features,
          dtype: 'float32',
          dims: [ROWS, LAYERS[0]],
          data: bytesOf(normalArray(random, ROWS * LAYERS[0], 1)),
        }),
      ]),
      outputs: [MLP_PROBABILITIES],
      executionProviders: ['cpu'],
      limits: { maxRunMs: 5_000, maxSessionCreateMs: 10_000, maxMemoryMb: 1024 },
      runsPerBatch: 1,
    },
  };
}

/** Runs the job with onnxruntime in this process: one output group per feed, in the spec's order. */
export async function computeOutputs(spec: InferenceJobSpec, model: Uint8Array): Promise<InlineTensor[][]> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const groups: InlineTensor[][] = [];
    for (const feed of spec.feeds) {
      const inputs: Record<string, ort.Tensor> = {};
      for (const tensor of feed) {
        if (tensor.data.kind !== 'inline') throw new Error('fixture feeds are inline');
        const bytes = Buffer.from(tensor.data.base64, 'base64');
        const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        inputs[tensor.name] = new ort.Tensor('float32', values, tensor.dims);
      }
      const out = await session.run(inputs);
      groups.push(
        spec.outputs.map((name) => {
          const value = out[name] as ort.Tensor;
          return float32Tensor(name, [...value.dims], value.data as Float32Array);
        }),
      );
    }
    return groups;
  } finally {
    await session.release();
  }
}

/** The same outputs with one value moved far beyond any tolerance: what a cheating or broken provider sends. */
export function tampered(groups: OutputGroups): InlineTensor[][] {
  return groups.map((group, g) =>
    group.map((tensor, t) => {
      if (g !== 0 || t !== 0) return tensor;
      const values = Float32Array.from(tensorValues(tensor));
      values[0] = (values[0] as number) + 0.5;
      return float32Tensor(tensor.name, [...tensor.dims], values);
    }),
  );
}

export function cpuProfile(memoryBytes = 8 * 1024 ** 3): ProviderProfile {
  return {
    appVersion: '0.1.0',
    onnxruntimeVersion: ort.env.versions.node ?? '1.30.0',
    platform: `${process.platform}-${process.arch}`,
    devices: [
      { id: 'cpu0', kind: 'cpu', name: 'test CPU', executionProviders: ['cpu'], memoryBytes, benchmarkGflops: null },
    ],
  };
}
