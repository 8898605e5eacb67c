/**
 * A static FLOP estimate for a validated model: shapes are propagated through
 * the main graph for the common ops, and MatMul, Gemm and Conv are counted as
 * 2 FLOPs per multiply-accumulate (the usual convention; elementwise work is
 * not counted). When a MatMul, Gemm or Conv has a shape we cannot infer, or
 * one sits inside a body, there is no honest number and the answer is null.
 */
import type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto } from './onnx-proto.ts';
import { TensorDataType } from './onnx-proto.ts';

type Shape = readonly number[];

const COUNTED_OPS = new Set(['MatMul', 'Gemm', 'Conv']);

const SHAPE_PRESERVING_OPS = new Set([
  'Abs',
  'Cast',
  'Ceil',
  'Clip',
  'Cos',
  'Dropout',
  'Elu',
  'Erf',
  'Exp',
  'Floor',
  'Gelu',
  'HardSigmoid',
  'HardSwish',
  'Identity',
  'LayerNormalization',
  'LeakyRelu',
  'Log',
  'LogSoftmax',
  'Neg',
  'Not',
  'Reciprocal',
  'Relu',
  'Round',
  'Sigmoid',
  'Sign',
  'Sin',
  'Softmax',
  'Softplus',
  'Sqrt',
  'Tanh',
  'BatchNormalization',
  'InstanceNormalization',
]);

const BROADCAST_OPS = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Max',
  'Min',
  'Equal',
  'Greater',
  'GreaterOrEqual',
  'Less',
  'LessOrEqual',
  'And',
  'Or',
  'Xor',
  'Where',
  'PRelu',
  'Mod',
  'Sum',
  'Mean',
]);

function attribute(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute?.find((candidate) => candidate.name === name);
}

function intAttribute(node: NodeProto, name: string, fallback: number): number {
  const found = attribute(node, name);
  return found?.i === undefined ? fallback : Number(found.i);
}

function intsAttribute(node: NodeProto, name: string): number[] | undefined {
  return attribute(node, name)?.ints?.map((value) => Number(value));
}

function broadcast(shapes: readonly Shape[]): Shape | undefined {
  const rank = Math.max(...shapes.map((shape) => shape.length));
  const result: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    let size = 1;
    for (const shape of shapes) {
      const dim = shape[shape.length - rank + axis] ?? 1;
      if (dim === 1) continue;
      if (size !== 1 && size !== dim) return undefined;
      size = dim;
    }
    result.push(size);
  }
  return result;
}

function product(values: readonly number[]): number {
  return values.reduce((total, value) => total * value, 1);
}

function int64Values(tensor: TensorProto): number[] | undefined {
  if (tensor.data_type !== TensorDataType.INT64) return undefined;
  const raw = tensor.raw_data;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Array.from({ length: raw.length / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
  }
  return (tensor.int64_data ?? []).map((value) => Number(value));
}

interface Inference {
  readonly shapes: Map<string, Shape>;
  readonly constants: Map<string, number[]>;
}

function matmulShape(a: Shape, b: Shape): { shape: Shape; flops: number } | undefined {
  if (a.length < 2 || b.length < 2) return undefined;
  const [m, k] = a.slice(-2) as [number, number];
  const [k2, n] = b.slice(-2) as [number, number];
  if (k !== k2) return undefined;
  const batch = broadcast([a.slice(0, -2), b.slice(0, -2)]);
  if (!batch) return undefined;
  return { shape: [...batch, m, n], flops: 2 * product(batch) * m * k * n };
}

function convShape(node: NodeProto, x: Shape, w: Shape): { shape: Shape; flops: number } | undefined {
  const spatial = x.length - 2;
  if (spatial < 1 || w.length !== x.length) return undefined;
  const kernel = w.slice(2);
  const strides = intsAttribute(node, 'strides') ?? kernel.map(() => 1);
  const dilations = intsAttribute(node, 'dilations') ?? kernel.map(() => 1);
  const pads = intsAttribute(node, 'pads') ?? kernel.flatMap(() => [0, 0]);
  const autoPad = new TextDecoder().decode(attribute(node, 'auto_pad')?.s ?? new Uint8Array());
  if (autoPad !== '' && autoPad !== 'NOTSET') return undefined;
  const out = kernel.map((k, axis) => {
    const size = x[axis + 2] as number;
    const padded = size + (pads[axis] ?? 0) + (pads[axis + spatial] ?? 0);
    return Math.floor((padded - (dilations[axis] ?? 1) * (k - 1) - 1) / (strides[axis] ?? 1)) + 1;
  });
  const [batch, channels] = x as [number, number];
  const [outChannels, groupChannels] = w as [number, number];
  const group = intAttribute(node, 'group', 1);
  if (groupChannels * group !== channels) return undefined;
  return {
    shape: [batch, outChannels, ...out],
    flops: 2 * batch * outChannels * product(out) * groupChannels * product(kernel),
  };
}

function reshapeShape(input: Shape, target: readonly number[]): Shape | undefined {
  const resolved = target.map((dim, axis) => (dim === 0 ? (input[axis] ?? 0) : dim));
  const known = product(resolved.filter((dim) => dim !== -1));
  const missing = resolved.filter((dim) => dim === -1).length;
  if (missing > 1) return undefined;
  return missing === 1 ? resolved.map((dim) => (dim === -1 ? product(input) / known : dim)) : resolved;
}

function axesOf(node: NodeProto, inference: Inference, inputIndex: number): number[] | undefined {
  const fromInput = node.input?.[inputIndex];
  if (fromInput) return inference.constants.get(fromInput);
  return intsAttribute(node, 'axes');
}

/** The output shape of node (first output) and its counted FLOPs; undefined when unknown. */
function inferNode(node: NodeProto, inference: Inference): { shape: Shape; flops: number } | undefined {
  const inputs = (node.input ?? []).map((name) => inference.shapes.get(name));
  const [first, second] = inputs;
  const op = node.op_type ?? '';
  if (op === 'MatMul') return first && second ? matmulShape(first, second) : undefined;
  if (op === 'Gemm') {
    if (!first || !second || first.length !== 2 || second.length !== 2) return undefined;
    const a = intAttribute(node, 'transA', 0) ? [first[1], first[0]] : first;
    const b = intAttribute(node, 'transB', 0) ? [second[1], second[0]] : second;
    return matmulShape(a as Shape, b as Shape);
  }
  if (op === 'Conv') return first && second ? convShape(node, first, second) : undefined;
  if (!first) return undefined;
  if (SHAPE_PRESERVING_OPS.has(op)) return { shape: first, flops: 0 };
  if (BROADCAST_OPS.has(op)) {
    if (inputs.some((shape) => !shape)) return undefined;
    const shape = broadcast(inputs as Shape[]);
    return shape ? { shape, flops: 0 } : undefined;
  }
  if (op === 'Transpose') {
    const perm = intsAttribute(node, 'perm') ?? first.map((_, axis) => first.length - 1 - axis);
    return { shape: perm.map((axis) => first[axis] as number), flops: 0 };
  }
  if (op === 'Reshape') {
    const target = inference.constants.get(node.input?.[1] ?? '');
    const shape = target ? reshapeShape(first, target) : undefined;
    return shape ? { shape, flops: 0 } : undefined;
  }
  if (op === 'Flatten') {
    const axis = intAttribute(node, 'axis', 1);
    return { shape: [product(first.slice(0, axis)), product(first.slice(axis))], flops: 0 };
  }
  if (op === 'ReduceMean' || op === 'ReduceSum') {
    const axes = axesOf(node, inference, 1)?.map((axis) => (axis < 0 ? axis + first.length : axis));
    if (!axes) return undefined;
    const keep = intAttribute(node, 'keepdims', 1) === 1;
    const shape = first.flatMap((dim, axis) => (axes.includes(axis) ? (keep ? [1] : []) : [dim]));
    return { shape, flops: 0 };
  }
  return undefined;
}

function seedShapes(graph: GraphProto, inference: Inference): void {
  for (const value of [...(graph.input ?? []), ...(graph.value_info ?? [])]) {
    const dims = value.type?.tensor_type?.shape?.dim;
    if (!value.name || !dims || dims.some((dim) => dim.dim_value === undefined)) continue;
    inference.shapes.set(
      value.name,
      dims.map((dim) => Number(dim.dim_value)),
    );
  }
  for (const tensor of graph.initializer ?? []) {
    if (!tensor.name) continue;
    inference.shapes.set(tensor.name, (tensor.dims ?? []).map(Number));
    const values = (tensor.dims ?? []).length <= 1 ? int64Values(tensor) : undefined;
    if (values) inference.constants.set(tensor.name, values);
  }
}

function hasCountedOpInBody(node: NodeProto): boolean {
  const bodies = (node.attribute ?? []).flatMap((found) => [...(found.g ? [found.g] : []), ...(found.graphs ?? [])]);
  return bodies.some((body) =>
    (body.node ?? []).some((inner) => COUNTED_OPS.has(inner.op_type ?? '') || hasCountedOpInBody(inner)),
  );
}

export function estimateModelFlops(model: ModelProto): number | null {
  const graph = model.graph;
  if (!graph) return null;
  const inference: Inference = { shapes: new Map(), constants: new Map() };
  seedShapes(graph, inference);
  let flops = 0;
  for (const node of graph.node ?? []) {
    if (hasCountedOpInBody(node)) return null;
    const output = node.output?.[0];
    if (node.op_type === 'Constant') {
      const value = attribute(node, 'value')?.t;
      if (output && value) {
        inference.shapes.set(output, (value.dims ?? []).map(Number));
        const values = int64Values(value);
        if (values) inference.constants.set(output, values);
      }
      continue;
    }
    const inferred = inferNode(node, inference);
    if (!inferred) {
      if (COUNTED_OPS.has(node.op_type ?? '')) return null;
      continue;
    }
    flops += inferred.flops;
    if (output) inference.shapes.set(output, inferred.shape);
  }
  return flops;
}
