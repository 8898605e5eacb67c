/**
 * Small ONNX models for the worker and job tests, made with the project's
 * graph builder so they are exactly what job validation accepts.
 */
import { buildModelBytes, floatTensor, GraphBuilder, tensorValue } from '../../native/onnx/graph-builder.ts';
import { normalArray, seededRandom } from '../../native/onnx/seeded-random.ts';

/** Deterministic values in [-1, 1): the same seed gives the same tensor in every process. */
export function seededFloats(count: number, seed: number): Float32Array<ArrayBuffer> {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => random.next() * 2 - 1);
}

/** `y = tanh(x · W + b)` with x: [batch, inputSize]. */
export function denseLayerModel(batch: number | string, inputSize: number, outputSize: number): Uint8Array {
  const graph = new GraphBuilder('dense');
  const x = graph.input('x', 'float32', [batch, inputSize]);
  const w = graph.initializer('W', floatTensor([inputSize, outputSize], seededFloats(inputSize * outputSize, 7)));
  const b = graph.initializer('b', floatTensor([outputSize], seededFloats(outputSize, 11)));
  const pre = graph.node('Add', [graph.node('MatMul', [x, w]), b]);
  graph.node('Tanh', [pre], {}, { outputs: ['y'] });
  graph.output('y', 'float32', [batch, outputSize]);
  return buildModelBytes(graph);
}

/**
 * `depth` chained square MatMuls of size `size` (2·size³·depth FLOPs per run):
 * a run that keeps every intra-op thread busy for as long as wanted.
 */
export function matMulChainModel(size: number, depth: number): Uint8Array {
  const graph = new GraphBuilder('matmul_chain');
  const w = graph.initializer(
    'W',
    tensorValue('float32', [size, size], normalArray(seededRandom(3), size * size, 1 / Math.sqrt(size))),
  );
  let value = graph.input('x', 'float32', [size, size]);
  for (let layer = 0; layer < depth; layer++) {
    // Tanh keeps values bounded, so a deep chain never overflows to Inf.
    value = graph.node('Tanh', [graph.node('MatMul', [value, w])], {}, layer === depth - 1 ? { outputs: ['y'] } : {});
  }
  graph.output('y', 'float32', [size, size]);
  return buildModelBytes(graph);
}

/**
 * A load bomb that validation lets through: `y = x + tanh(...tanh(W·W)·W...)`,
 * `depth` MatMuls whose inputs are all constants, so onnxruntime's constant
 * folding computes the whole chain while it creates the session (2·size³·depth
 * FLOPs on one thread) before any run.
 */
export function constantFoldingBombModel(size: number, depth: number): Uint8Array {
  const graph = new GraphBuilder('constant_folding_bomb');
  const w = graph.initializer(
    'W',
    tensorValue('float32', [size, size], normalArray(seededRandom(3), size * size, 1 / Math.sqrt(size))),
  );
  let value = w;
  for (let layer = 0; layer < depth; layer++) value = graph.node('Tanh', [graph.node('MatMul', [value, w])]);
  const x = graph.input('x', 'float32', [size, size]);
  graph.node('Add', [x, value], {}, { outputs: ['y'] });
  graph.output('y', 'float32', [size, size]);
  return buildModelBytes(graph);
}

/**
 * `y = ConstantOfShape(shape)` where `shape` is an int64 input: the feed picks
 * how many bytes the run allocates (a memory bomb our static checks cannot see).
 */
export function allocateByShapeModel(): Uint8Array {
  const graph = new GraphBuilder('allocate_by_shape');
  const shape = graph.input('shape', 'int64', [1]);
  graph.node('ConstantOfShape', [shape], {}, { outputs: ['y'] });
  graph.output('y', 'float32', ['n']);
  return buildModelBytes(graph);
}

/** The int64 feed for allocateByShapeModel. */
export function shapeFeed(elements: number) {
  return { dtype: 'int64' as const, dims: [1], data: BigInt64Array.of(BigInt(elements)) };
}
