/**
 * The GEMM workload: an N x N input multiplied by `depth` N x N weight
 * matrices in a row. Pure matrix multiplication, so its GFLOP/s is the number
 * to compare with the cores' peak. Weights are scaled by 1/sqrt(N) so values
 * neither explode nor vanish along the chain (denormals would slow it down).
 */
import { buildModel, GraphBuilder, tensorValue } from '../graph-builder.ts';
import { normalArray, seededRandom } from '../seeded-random.ts';
import type { BenchmarkGraph } from './benchmark-graph.ts';

export interface GemmChainOptions {
  /** N: every matrix is N x N. */
  readonly size: number;
  /** How many MatMuls are chained. */
  readonly depth: number;
  readonly seed?: number;
}

export function gemmChainFlops(options: GemmChainOptions): number {
  return options.depth * 2 * options.size ** 3;
}

export function buildGemmChain(options: GemmChainOptions): BenchmarkGraph {
  const { size, depth } = options;
  const random = seededRandom(options.seed ?? 17);
  const graph = new GraphBuilder('gemm_chain');
  let value = graph.input('x', 'float32', [size, size]);
  for (let layer = 0; layer < depth; layer++) {
    const weight = graph.initializer(
      `w${layer}`,
      tensorValue('float32', [size, size], normalArray(random, size * size, 1 / Math.sqrt(size))),
    );
    value = graph.node('MatMul', [value, weight], {}, layer === depth - 1 ? { outputs: ['y'] } : {});
  }
  graph.output(value, 'float32', [size, size]);
  return {
    name: `gemm_chain_${size}x${depth}`,
    model: buildModel(graph),
    inputs: [{ name: 'x', dtype: 'float32', dims: [size, size] }],
    outputName: 'y',
    flopsPerRun: gemmChainFlops(options),
  };
}
