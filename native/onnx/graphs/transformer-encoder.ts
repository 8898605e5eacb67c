/**
 * The transformer workload: one pre-norm encoder block on a fixed batch of
 * sequences, written with plain ops (no fused Attention op, so every
 * onnxruntime execution provider runs it):
 *
 *   h = x + Wo * softmax(Q K^T / sqrt(d_head)) V     with Q, K, V = LN1(x) Wq, Wk, Wv (+ biases)
 *   y = h + W2 * GELU(W1 * LN2(h) + b1) + b2
 *
 * GELU comes in its exact (Erf) or tanh-approximated form.
 */
import { attr, buildModel, floatTensor, GraphBuilder, int64Tensor, tensorValue } from '../graph-builder.ts';
import { normalArray, seededRandom } from '../seeded-random.ts';
import type { BenchmarkGraph } from './benchmark-graph.ts';

export interface TransformerEncoderOptions {
  readonly batch: number;
  readonly seqLen: number;
  readonly dModel: number;
  readonly heads: number;
  readonly ffDim: number;
  readonly gelu?: 'erf' | 'tanh';
  readonly seed?: number;
}

/** 2 x MACs of the six projections (Q, K, V, output, two feed-forward) and the two attention products. */
export function transformerEncoderFlops(options: TransformerEncoderOptions): number {
  const { batch: b, seqLen: s, dModel: d, ffDim: f } = options;
  const projections = 4 * 2 * b * s * d * d;
  const attention = 2 * 2 * b * s * s * d;
  const feedForward = 2 * 2 * b * s * d * f;
  return projections + attention + feedForward;
}

export function buildTransformerEncoder(options: TransformerEncoderOptions): BenchmarkGraph {
  const { batch, seqLen, dModel, heads, ffDim } = options;
  if (dModel % heads !== 0) throw new RangeError('dModel must be a multiple of heads');
  const headDim = dModel / heads;
  const random = seededRandom(options.seed ?? 29);
  const graph = new GraphBuilder('transformer_encoder');
  const weight = (name: string, rows: number, cols: number) =>
    graph.initializer(
      name,
      tensorValue('float32', [rows, cols], normalArray(random, rows * cols, 1 / Math.sqrt(rows))),
    );
  const zeros = (name: string, size: number) => graph.initializer(name, floatTensor([size], new Float32Array(size)));
  const ones = (name: string, size: number) =>
    graph.initializer(name, floatTensor([size], new Float32Array(size).fill(1)));
  const linear = (input: string, name: string, rows: number, cols: number) =>
    graph.node('Add', [graph.node('MatMul', [input, weight(`${name}.w`, rows, cols)]), zeros(`${name}.b`, cols)]);
  const layerNorm = (input: string, name: string) =>
    graph.node('LayerNormalization', [input, ones(`${name}.gamma`, dModel), zeros(`${name}.beta`, dModel)], {
      axis: attr.int(-1),
      epsilon: attr.float(1e-5),
    });

  const x = graph.input('x', 'float32', [batch, seqLen, dModel]);

  // Attention: split heads as [B, S, H, Dh] -> [B, H, S, Dh] (K as [B, H, Dh, S]).
  const normed = layerNorm(x, 'ln1');
  const headShape = graph.constant(int64Tensor([4], [batch, seqLen, heads, headDim]));
  const splitHeads = (name: string, perm: number[]) =>
    graph.node('Transpose', [graph.node('Reshape', [linear(normed, name, dModel, dModel), headShape])], {
      perm: attr.ints(perm),
    });
  const q = splitHeads('q', [0, 2, 1, 3]);
  const kT = splitHeads('k', [0, 2, 3, 1]);
  const v = splitHeads('v', [0, 2, 1, 3]);
  const scores = graph.node('Mul', [graph.node('MatMul', [q, kT]), graph.scalar(1 / Math.sqrt(headDim))]);
  const probabilities = graph.node('Softmax', [scores], { axis: attr.int(-1) });
  const context = graph.node('Transpose', [graph.node('MatMul', [probabilities, v])], {
    perm: attr.ints([0, 2, 1, 3]),
  });
  const merged = graph.node('Reshape', [context, graph.constant(int64Tensor([3], [batch, seqLen, dModel]))]);
  const attended = graph.node('Add', [x, linear(merged, 'o', dModel, dModel)]);

  // Feed-forward with GELU.
  const hidden = linear(layerNorm(attended, 'ln2'), 'ff1', dModel, ffDim);
  const activated = options.gelu === 'tanh' ? geluTanh(graph, hidden) : geluErf(graph, hidden);
  const output = graph.node('Add', [attended, linear(activated, 'ff2', ffDim, dModel)], {}, { outputs: ['y'] });
  graph.output(output, 'float32', [batch, seqLen, dModel]);

  return {
    name: `transformer_encoder_${batch}x${seqLen}x${dModel}h${heads}`,
    model: buildModel(graph),
    inputs: [{ name: 'x', dtype: 'float32', dims: [batch, seqLen, dModel] }],
    outputName: 'y',
    flopsPerRun: transformerEncoderFlops(options),
  };
}

/** GELU(x) = 0.5 x (1 + erf(x / sqrt(2))). */
function geluErf(graph: GraphBuilder, x: string): string {
  const erf = graph.node('Erf', [graph.node('Mul', [x, graph.scalar(Math.SQRT1_2)])]);
  return graph.node('Mul', [graph.node('Mul', [x, graph.scalar(0.5)]), graph.node('Add', [erf, graph.scalar(1)])]);
}

/** GELU(x) ~ 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))). */
function geluTanh(graph: GraphBuilder, x: string): string {
  const cube = graph.node('Mul', [graph.node('Mul', [x, x]), x]);
  const inner = graph.node('Add', [x, graph.node('Mul', [cube, graph.scalar(0.044715)])]);
  const tanh = graph.node('Tanh', [graph.node('Mul', [inner, graph.scalar(Math.sqrt(2 / Math.PI))])]);
  return graph.node('Mul', [graph.node('Mul', [x, graph.scalar(0.5)]), graph.node('Add', [tanh, graph.scalar(1)])]);
}
