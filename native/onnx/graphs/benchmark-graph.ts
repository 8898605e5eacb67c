/**
 * What every generated benchmark workload hands to the benchmark: the model,
 * the inputs it needs (fixed shapes, so runs are comparable) and its FLOPs per
 * run, counted as 2 per multiply-accumulate of MatMul, Gemm and Conv.
 */
import type { ModelProto } from '../onnx-proto.ts';
import { seededRandom } from '../seeded-random.ts';

export interface BenchmarkInput {
  readonly name: string;
  readonly dtype: 'float32';
  readonly dims: readonly number[];
}

export interface BenchmarkGraph {
  readonly name: string;
  readonly model: ModelProto;
  readonly inputs: readonly BenchmarkInput[];
  readonly outputName: string;
  readonly flopsPerRun: number;
}

/** Deterministic input data for a benchmark graph, uniform in [-1, 1). */
export function benchmarkFeed(graph: BenchmarkGraph, seed = 1): Map<string, Float32Array> {
  const random = seededRandom(seed);
  const feed = new Map<string, Float32Array>();
  for (const input of graph.inputs) {
    const count = input.dims.reduce((product, dim) => product * dim, 1);
    feed.set(
      input.name,
      Float32Array.from({ length: count }, () => random.next() * 2 - 1),
    );
  }
  return feed;
}
