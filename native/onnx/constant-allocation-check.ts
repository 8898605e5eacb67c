/**
 * Ops whose output size comes from a constant in the model rather than from
 * the job's inputs: ConstantOfShape([1e6, 1e6]) or Range(0, 1e12, 1) are a few
 * bytes of model that ask for terabytes. Where the deciding input is a
 * constant of the same graph, its size (or a lower bound of it) must stay under
 * the element cap. The worker's memory limit stays the backstop for sizes only
 * known at run time.
 */
import { boundedProduct } from './int64.ts';
import type { ModelLimits } from './model-limits.ts';
import type { GraphProto, NodeProto, TensorProto } from './onnx-proto.ts';
import { TensorDataType } from './onnx-proto.ts';
import { type ModelRule, type Rejection, reject } from './validation-rules.ts';

/** Constants with more values than this are not shape-like; reading them would cost more than it tells. */
const MAX_CONSTANT_VALUES = 64;

function readIntegers(tensor: TensorProto): bigint[] | undefined {
  const raw = tensor.raw_data;
  const view = raw && raw.length > 0 ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  switch (tensor.data_type) {
    case TensorDataType.INT64: {
      if (!view) return (tensor.int64_data ?? []).map((value) => BigInt(value));
      const count = view.byteLength / 8;
      return Array.from({ length: count }, (_, i) => view.getBigInt64(i * 8, true));
    }
    case TensorDataType.INT32: {
      if (!view) return (tensor.int32_data ?? []).map((value) => BigInt(value));
      return Array.from({ length: view.byteLength / 4 }, (_, i) => BigInt(view.getInt32(i * 4, true)));
    }
    default:
      return undefined;
  }
}

function readNumbers(tensor: TensorProto): number[] | undefined {
  const raw = tensor.raw_data;
  const view = raw && raw.length > 0 ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  switch (tensor.data_type) {
    case TensorDataType.FLOAT:
      if (!view) return tensor.float_data ?? [];
      return Array.from({ length: view.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
    case TensorDataType.DOUBLE:
      if (!view) return tensor.double_data ?? [];
      return Array.from({ length: view.byteLength / 8 }, (_, i) => view.getFloat64(i * 8, true));
    default:
      return readIntegers(tensor)?.map((value) => Number(value));
  }
}

function elementCount(tensor: TensorProto): number {
  return (tensor.dims ?? []).reduce<number>((product, dim) => product * Number(dim), 1);
}

/** Initializers and Constant node values of one graph, by value name (small ones only). */
function constantsOf(graph: GraphProto): Map<string, TensorProto> {
  const constants = new Map<string, TensorProto>();
  const isSmall = (tensor: TensorProto) => elementCount(tensor) <= MAX_CONSTANT_VALUES;
  for (const tensor of graph.initializer ?? []) {
    if (tensor.name && isSmall(tensor)) constants.set(tensor.name, tensor);
  }
  for (const node of graph.node ?? []) {
    const output = node.output?.[0];
    if (node.op_type !== 'Constant' || !output) continue;
    const value = node.attribute?.find((attribute) => attribute.name === 'value')?.t;
    if (value && isSmall(value)) constants.set(output, value);
    const ints = node.attribute?.find((attribute) => attribute.name === 'value_ints')?.ints;
    if (ints && ints.length <= MAX_CONSTANT_VALUES) {
      constants.set(output, { data_type: TensorDataType.INT64, dims: [ints.length], int64_data: ints });
    }
  }
  return constants;
}

function productOf(values: bigint[] | undefined, cap: bigint): bigint | undefined {
  if (values === undefined || values.some((value) => value < 0n)) return undefined;
  return boundedProduct(values, cap);
}

/** A lower bound of the elements this node allocates, when constants decide it. */
function allocatedElements(
  node: NodeProto,
  constants: ReadonlyMap<string, TensorProto>,
  cap: bigint,
): bigint | undefined {
  const constantInput = (index: number) => {
    const name = node.input?.[index];
    return name ? constants.get(name) : undefined;
  };
  const integersOf = (index: number) => {
    const tensor = constantInput(index);
    return tensor ? readIntegers(tensor) : undefined;
  };
  switch (node.op_type) {
    case 'ConstantOfShape':
      return productOf(integersOf(0), cap);
    case 'Expand':
    case 'Tile':
      // Expand's target shape and Tile's repeats are both lower bounds of the output size.
      return productOf(integersOf(1), cap);
    case 'Resize':
      return productOf(integersOf(3), cap);
    case 'OneHot': {
      const depth = integersOf(1)?.[0];
      return depth !== undefined && depth >= 0n ? depth : undefined;
    }
    case 'Range': {
      const [start, limit, delta] = [0, 1, 2].map((index) => {
        const tensor = constantInput(index);
        return tensor ? readNumbers(tensor)?.[0] : undefined;
      });
      if (start === undefined || limit === undefined || delta === undefined || delta === 0) return undefined;
      const count = Math.ceil((limit - start) / delta);
      if (!Number.isFinite(count)) return cap + 1n;
      return BigInt(Math.max(0, count));
    }
    default:
      return undefined;
  }
}

export function checkConstantAllocations(
  graph: GraphProto,
  path: string,
  limits: ModelLimits,
): Rejection<ModelRule> | null {
  const constants = constantsOf(graph);
  const cap = BigInt(limits.maxTensorElements);
  for (const [index, node] of (graph.node ?? []).entries()) {
    const elements = allocatedElements(node, constants, cap);
    if (elements !== undefined && elements > cap) {
      return reject(
        'onnx.tensor_elements',
        `${path}.node[${index}] (${node.op_type}) would allocate ${elements > cap * 1000n ? 'far ' : ''}more than ${limits.maxTensorElements} elements from constants in the model.`,
      );
    }
  }
  return null;
}
