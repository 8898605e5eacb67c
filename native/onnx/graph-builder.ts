/**
 * A small typed builder for ONNX models in the standard domain. It only emits
 * what onnxruntime needs and what our validator accepts: named values, nodes
 * in the order they are added (which is topological, because a node can only
 * name values that already exist), inline tensor data, one opset import.
 */
import {
  type AttributeProto,
  AttributeType,
  BUILDER_IR_VERSION,
  encodeModel,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type TypeProto,
  type ValueInfoProto,
} from './onnx-proto.ts';
import { bytesPerElement, onnxDataTypeOf, type TensorDtype } from './tensor-dtypes.ts';

export const DEFAULT_OPSET_VERSION = 17;

/** A fixed size, or a symbolic name for a size only known at run time (such as the batch). */
export type Dim = number | string;

type TypedArrayOf<D extends TensorDtype> = D extends 'float32'
  ? Float32Array
  : D extends 'float64'
    ? Float64Array
    : D extends 'int64'
      ? BigInt64Array
      : D extends 'uint64'
        ? BigUint64Array
        : D extends 'int32'
          ? Int32Array
          : D extends 'uint32'
            ? Uint32Array
            : D extends 'int16'
              ? Int16Array
              : D extends 'uint16' | 'float16'
                ? Uint16Array
                : D extends 'int8'
                  ? Int8Array
                  : Uint8Array;

/** Tensor data in memory: dims plus a typed array in row-major order. */
export interface TensorValue<D extends TensorDtype = TensorDtype> {
  readonly dtype: D;
  readonly dims: readonly number[];
  readonly data: TypedArrayOf<D>;
}

export function tensorValue<D extends TensorDtype>(
  dtype: D,
  dims: readonly number[],
  data: TypedArrayOf<D>,
): TensorValue<D> {
  const elements = dims.reduce((product, dim) => product * dim, 1);
  if (data.length !== elements) {
    throw new RangeError(`tensor of shape [${dims.join(', ')}] needs ${elements} values, got ${data.length}`);
  }
  return { dtype, dims, data };
}

export function floatTensor(dims: readonly number[], values: ArrayLike<number>): TensorValue<'float32'> {
  return tensorValue('float32', dims, Float32Array.from(values));
}

export function int64Tensor(dims: readonly number[], values: ArrayLike<number | bigint>): TensorValue<'int64'> {
  return tensorValue('int64', dims, BigInt64Array.from(Array.from(values, (value) => BigInt(value))));
}

/** ONNX raw_data is little-endian; typed arrays use the host's order, which is little-endian on every platform we ship. */
const isLittleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The tensor's bytes in little-endian order, as ONNX raw_data and onnxruntime expect them. */
export function tensorBytes(value: TensorValue): Uint8Array {
  if (!isLittleEndianHost) throw new Error('tensor bytes are only written on little-endian hosts');
  const { data } = value;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (bytes.length !== data.length * bytesPerElement(value.dtype))
    throw new RangeError('typed array does not match dtype');
  return bytes;
}

export function tensorProto(name: string, value: TensorValue): TensorProto {
  return {
    name,
    dims: [...value.dims],
    data_type: onnxDataTypeOf(value.dtype),
    raw_data: tensorBytes(value),
  };
}

export function tensorType(dtype: TensorDtype, dims: readonly Dim[]): TypeProto {
  return {
    tensor_type: {
      elem_type: onnxDataTypeOf(dtype),
      shape: { dim: dims.map((dim) => (typeof dim === 'number' ? { dim_value: dim } : { dim_param: dim })) },
    },
  };
}

export function valueInfo(name: string, dtype: TensorDtype, dims: readonly Dim[]): ValueInfoProto {
  return { name, type: tensorType(dtype, dims) };
}

/** Attribute values, tagged because ONNX distinguishes int from float and one value from a list. */
export type AttributeValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: TensorValue }
  | { readonly kind: 'graph'; readonly value: GraphProto };

export const attr = {
  int: (value: number): AttributeValue => ({ kind: 'int', value }),
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  string: (value: string): AttributeValue => ({ kind: 'string', value }),
  ints: (value: readonly number[]): AttributeValue => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): AttributeValue => ({ kind: 'floats', value }),
  tensor: (value: TensorValue): AttributeValue => ({ kind: 'tensor', value }),
  graph: (value: GraphProto): AttributeValue => ({ kind: 'graph', value }),
};

export function attributeProto(name: string, value: AttributeValue): AttributeProto {
  switch (value.kind) {
    case 'int':
      return { name, type: AttributeType.INT, i: value.value };
    case 'float':
      return { name, type: AttributeType.FLOAT, f: value.value };
    case 'string':
      return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value.value) };
    case 'ints':
      return { name, type: AttributeType.INTS, ints: [...value.value] };
    case 'floats':
      return { name, type: AttributeType.FLOATS, floats: [...value.value] };
    case 'tensor':
      return { name, type: AttributeType.TENSOR, t: tensorProto('', value.value) };
    case 'graph':
      return { name, type: AttributeType.GRAPH, g: value.value };
  }
}

export interface NodeOptions {
  /** Output value names; by default fresh names derived from the op type. */
  readonly outputs?: readonly string[];
  /** How many outputs to create when names are not given (default 1). */
  readonly outputCount?: number;
  readonly name?: string;
}

/**
 * Builds one GraphProto. Value names must be unique; the builder refuses a
 * node that reads a value not defined yet, so emitted graphs are always in
 * topological order.
 */
export class GraphBuilder {
  readonly name: string;
  readonly #nodes: NodeProto[] = [];
  readonly #inputs: ValueInfoProto[] = [];
  readonly #outputs: ValueInfoProto[] = [];
  readonly #initializers: TensorProto[] = [];
  readonly #defined = new Set<string>();
  /** Names visible from enclosing graphs, for bodies of If/Loop/Scan. */
  readonly #outer: ReadonlySet<string>;
  readonly #counters = new Map<string, number>();

  constructor(name: string, outerScope: Iterable<string> = []) {
    this.name = name;
    this.#outer = new Set(outerScope);
  }

  /** Every value name defined so far, to pass as the outer scope of a body graph. */
  definedNames(): ReadonlySet<string> {
    return new Set([...this.#outer, ...this.#defined]);
  }

  /** A fresh value name starting with prefix. */
  freshName(prefix: string): string {
    let count = this.#counters.get(prefix) ?? 0;
    let name = `${prefix}_${count}`;
    while (this.#defined.has(name) || this.#outer.has(name)) name = `${prefix}_${++count}`;
    this.#counters.set(prefix, count + 1);
    return name;
  }

  #define(name: string): string {
    if (name === '') throw new Error('value names must not be empty');
    if (this.#defined.has(name)) throw new Error(`value '${name}' is already defined in graph '${this.name}'`);
    this.#defined.add(name);
    return name;
  }

  input(name: string, dtype: TensorDtype, dims: readonly Dim[]): string {
    this.#inputs.push(valueInfo(name, dtype, dims));
    return this.#define(name);
  }

  initializer(name: string, value: TensorValue): string {
    this.#initializers.push(tensorProto(name, value));
    return this.#define(name);
  }

  /** A Constant node holding value; small values read better as constants than as initializers. */
  constant(value: TensorValue, name?: string): string {
    return this.node('Constant', [], { value: attr.tensor(value) }, name ? { outputs: [name] } : {});
  }

  /** A scalar float32 constant. */
  scalar(value: number, name?: string): string {
    return this.constant(floatTensor([], [value]), name);
  }

  /** Adds a node and returns its first output. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    options: NodeOptions = {},
  ): string {
    return this.nodeOutputs(opType, inputs, attributes, options)[0] as string;
  }

  /** Adds a node and returns all its outputs. */
  nodeOutputs(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    options: NodeOptions = {},
  ): string[] {
    for (const input of inputs) {
      if (input !== '' && !this.#defined.has(input) && !this.#outer.has(input)) {
        throw new Error(`${opType} reads '${input}', which graph '${this.name}' does not define yet`);
      }
    }
    const outputs = options.outputs
      ? [...options.outputs]
      : Array.from({ length: options.outputCount ?? 1 }, () => this.freshName(opType.toLowerCase()));
    for (const output of outputs) this.#define(output);
    this.#nodes.push({
      op_type: opType,
      domain: '',
      name: options.name ?? this.freshName(`${opType}_node`),
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attributes).map(([name, value]) => attributeProto(name, value)),
    });
    return outputs;
  }

  /** Declares an existing value as a graph output. */
  output(name: string, dtype: TensorDtype, dims: readonly Dim[]): void {
    if (!this.#defined.has(name) && !this.#outer.has(name)) throw new Error(`output '${name}' is not defined`);
    this.#outputs.push(valueInfo(name, dtype, dims));
  }

  toGraph(): GraphProto {
    return {
      name: this.name,
      node: [...this.#nodes],
      input: [...this.#inputs],
      output: [...this.#outputs],
      initializer: [...this.#initializers],
    };
  }
}

export interface ModelOptions {
  readonly opsetVersion?: number;
  readonly producerName?: string;
  readonly docString?: string;
}

export function buildModel(graph: GraphBuilder | GraphProto, options: ModelOptions = {}): ModelProto {
  return {
    ir_version: BUILDER_IR_VERSION,
    opset_import: [{ domain: '', version: options.opsetVersion ?? DEFAULT_OPSET_VERSION }],
    producer_name: options.producerName ?? 'idlehive',
    producer_version: '1',
    doc_string: options.docString ?? '',
    graph: graph instanceof GraphBuilder ? graph.toGraph() : graph,
  };
}

/** Builds and encodes in one step. */
export function buildModelBytes(graph: GraphBuilder | GraphProto, options: ModelOptions = {}): Uint8Array {
  return encodeModel(buildModel(graph, options));
}
