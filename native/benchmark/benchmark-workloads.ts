/**
 * The benchmark suite: three generated graphs (a GEMM chain, a convolution
 * block, a transformer encoder block), a memory-bandwidth kernel and one real
 * model shipped in an npm package (Silero VAD v5 from @ricky0123/vad-web).
 * Each carries the work one run does, so throughput is work per second, and
 * a reference throughput that scores 100 in the composite score (round
 * figures of a recent 4-core laptop CPU; the score compares machines with
 * each other, not with a promise).
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildModelBytes, GraphBuilder, int64Tensor } from '../onnx/graph-builder.ts';
import { type BenchmarkGraph, benchmarkFeed } from '../onnx/graphs/benchmark-graph.ts';
import { buildConvBlock } from '../onnx/graphs/conv-block.ts';
import { buildGemmChain } from '../onnx/graphs/gemm-chain.ts';
import { buildTransformerEncoder } from '../onnx/graphs/transformer-encoder.ts';
import { validateModel } from '../onnx/model-validation.ts';
import { encodeModel } from '../onnx/onnx-proto.ts';
import { packageRoot } from '../package-root.ts';
import type { Feeds } from '../worker/worker-protocol.ts';

import { WORKLOAD_NAMES, type WorkloadName } from './workload-names.ts';

export { WORKLOAD_NAMES, type WorkloadName };
export type WorkloadUnit = 'GFLOP/s' | 'GB/s' | 'items/s';

export interface BenchmarkWorkload {
  readonly name: WorkloadName;
  readonly label: string;
  readonly unit: WorkloadUnit;
  readonly modelBytes: Uint8Array;
  /** One run's inputs; every run of the workload feeds the same tensors. */
  readonly feed: Feeds;
  readonly outputNames: readonly string[];
  /** GFLOP, GB or items per run, in the unit's numerator. */
  readonly workPerRun: number;
  /** Whether the figure is FP32 arithmetic that the CPU's estimated peak bounds. */
  readonly isBoundByPeak: boolean;
  /** The throughput that scores 100. */
  readonly reference: number;
}

function fromGraph(name: WorkloadName, label: string, graph: BenchmarkGraph, reference: number): BenchmarkWorkload {
  const feed: Feeds = {};
  for (const [inputName, data] of benchmarkFeed(graph)) {
    const input = graph.inputs.find((candidate) => candidate.name === inputName);
    feed[inputName] = { dtype: 'float32', dims: [...(input?.dims ?? [])], data: data as Float32Array<ArrayBuffer> };
  }
  return {
    name,
    label: `${label} (${graph.name})`,
    unit: 'GFLOP/s',
    modelBytes: encodeModel(graph.model),
    feed,
    outputNames: [graph.outputName],
    workPerRun: graph.flopsPerRun / 1e9,
    isBoundByPeak: true,
    reference,
  };
}

/** Expand a scalar to N floats, then sum them: N floats written and N read per run, with a 4-byte input and output. */
function memoryWorkload(elements: number): BenchmarkWorkload {
  const graph = new GraphBuilder('memory_bandwidth');
  const x = graph.input('x', 'float32', [1]);
  const wide = graph.node('Expand', [x, graph.constant(int64Tensor([1], [elements]))]);
  graph.node('ReduceSum', [wide, graph.constant(int64Tensor([1], [0]))], {}, { outputs: ['y'] });
  graph.output('y', 'float32', [1]);
  return {
    name: 'memory',
    label: `memory bandwidth (write + read ${(elements * 4) / 1024 ** 2} MiB)`,
    unit: 'GB/s',
    modelBytes: buildModelBytes(graph),
    feed: { x: { dtype: 'float32', dims: [1], data: Float32Array.of(0.5) } },
    outputNames: ['y'],
    workPerRun: (elements * 4 * 2) / 1e9,
    isBoundByPeak: false,
    reference: 10,
  };
}

const SILERO_SAMPLES = 512;
const SILERO_BATCH = 8;

/** Silero VAD v5: one run classifies SILERO_BATCH chunks of 512 samples at 16 kHz; an item is a chunk. */
function sileroWorkload(): BenchmarkWorkload {
  const file = path.join(packageRoot('@ricky0123/vad-web', import.meta.filename), 'dist', 'silero_vad_v5.onnx');
  const modelBytes = new Uint8Array(fs.readFileSync(file));
  // A package is outside our control: its model passes the same validation as any job's.
  const validated = validateModel(modelBytes);
  if (!validated.ok)
    throw new Error(`the bundled Silero VAD model fails validation (${validated.rule}): ${validated.message}`);
  const audio = Float32Array.from({ length: SILERO_BATCH * SILERO_SAMPLES }, (_, i) => 0.3 * Math.sin(i / 7));
  return {
    name: 'silero-vad',
    label: `real model: Silero VAD v5 (@ricky0123/vad-web), ${SILERO_BATCH} x ${SILERO_SAMPLES} samples per run`,
    unit: 'items/s',
    modelBytes,
    feed: {
      input: { dtype: 'float32', dims: [SILERO_BATCH, SILERO_SAMPLES], data: audio },
      state: { dtype: 'float32', dims: [2, SILERO_BATCH, 128], data: new Float32Array(2 * SILERO_BATCH * 128) },
      sr: { dtype: 'int64', dims: [], data: BigInt64Array.of(16_000n) },
    },
    outputNames: ['output', 'stateN'],
    workPerRun: SILERO_BATCH,
    isBoundByPeak: false,
    reference: 5000,
  };
}

export function gemmWorkload(): BenchmarkWorkload {
  return fromGraph('gemm', 'GEMM chain', buildGemmChain({ size: 512, depth: 8 }), 100);
}

export function benchmarkWorkloads(names: readonly WorkloadName[] = WORKLOAD_NAMES): BenchmarkWorkload[] {
  const builders: Record<WorkloadName, () => BenchmarkWorkload> = {
    gemm: gemmWorkload,
    conv: () =>
      fromGraph(
        'conv',
        'convolution block',
        buildConvBlock({ batch: 1, channels: 64, height: 56, width: 56, layers: 2 }),
        60,
      ),
    transformer: () =>
      fromGraph(
        'transformer',
        'transformer encoder block',
        buildTransformerEncoder({ batch: 1, seqLen: 128, dModel: 256, heads: 4, ffDim: 1024 }),
        50,
      ),
    memory: () => memoryWorkload(16 * 1024 * 1024),
    'silero-vad': sileroWorkload,
  };
  return names.map((name) => builders[name]());
}
