/**
 * The ONNX protobuf schema (onnx.proto, IR version 10 field numbers), built in
 * code as a protobufjs reflection root: no .proto file is read at runtime and
 * no code generation step exists. Field names stay snake_case as in onnx.proto
 * so they can be compared with the spec line by line.
 *
 * Fields ONNX added for features we do not accept (training_info, device
 * configurations, opaque types) are left out on purpose: the strict wire scan
 * (onnx-wire-scan.ts) rejects any field this schema does not declare, so the
 * runtime never sees data we did not read ourselves.
 */
import protobuf from 'protobufjs';

/** int64 fields: decoded as exact decimal strings; numbers are accepted when encoding. */
export type Int64 = number | string;

export interface StringStringEntryProto {
  key?: string;
  value?: string;
}

export interface OperatorSetIdProto {
  domain?: string;
  version?: Int64;
}

export interface TensorSegment {
  begin?: Int64;
  end?: Int64;
}

export interface TensorProto {
  dims?: Int64[];
  data_type?: number;
  segment?: TensorSegment;
  float_data?: number[];
  int32_data?: number[];
  string_data?: Uint8Array[];
  int64_data?: Int64[];
  name?: string;
  doc_string?: string;
  raw_data?: Uint8Array;
  external_data?: StringStringEntryProto[];
  data_location?: number;
  double_data?: number[];
  uint64_data?: Int64[];
  metadata_props?: StringStringEntryProto[];
}

export interface SparseTensorProto {
  values?: TensorProto;
  indices?: TensorProto;
  dims?: Int64[];
}

export interface TensorShapeDimension {
  dim_value?: Int64;
  dim_param?: string;
  denotation?: string;
}

export interface TensorShapeProto {
  dim?: TensorShapeDimension[];
}

export interface TypeProtoTensor {
  elem_type?: number;
  shape?: TensorShapeProto;
}

export interface TypeProto {
  tensor_type?: TypeProtoTensor;
  sequence_type?: { elem_type?: TypeProto };
  map_type?: { key_type?: number; value_type?: TypeProto };
  optional_type?: { elem_type?: TypeProto };
  sparse_tensor_type?: TypeProtoTensor;
  denotation?: string;
}

export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  doc_string?: string;
  metadata_props?: StringStringEntryProto[];
}

export interface AttributeProto {
  name?: string;
  ref_attr_name?: string;
  doc_string?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  sparse_tensor?: SparseTensorProto;
  tp?: TypeProto;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  graphs?: GraphProto[];
  sparse_tensors?: SparseTensorProto[];
  type_protos?: TypeProto[];
}

export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  overload?: string;
  attribute?: AttributeProto[];
  doc_string?: string;
  metadata_props?: StringStringEntryProto[];
}

export interface TensorAnnotation {
  tensor_name?: string;
  quant_parameter_tensor_names?: StringStringEntryProto[];
}

export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  sparse_initializer?: SparseTensorProto[];
  doc_string?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  value_info?: ValueInfoProto[];
  quantization_annotation?: TensorAnnotation[];
  metadata_props?: StringStringEntryProto[];
}

export interface FunctionProto {
  name?: string;
  input?: string[];
  output?: string[];
  attribute?: string[];
  attribute_proto?: AttributeProto[];
  node?: NodeProto[];
  doc_string?: string;
  opset_import?: OperatorSetIdProto[];
  domain?: string;
  overload?: string;
  value_info?: ValueInfoProto[];
  metadata_props?: StringStringEntryProto[];
}

export interface ModelProto {
  ir_version?: Int64;
  opset_import?: OperatorSetIdProto[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: Int64;
  doc_string?: string;
  graph?: GraphProto;
  metadata_props?: StringStringEntryProto[];
  functions?: FunctionProto[];
}

/** TensorProto.DataType. */
export const TensorDataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
  FLOAT8E4M3FN: 17,
  FLOAT8E4M3FNUZ: 18,
  FLOAT8E5M2: 19,
  FLOAT8E5M2FNUZ: 20,
  UINT4: 21,
  INT4: 22,
  FLOAT4E2M1: 23,
} as const;

/** AttributeProto.AttributeType. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;

/** TensorProto.DataLocation: anything but DEFAULT means "read the bytes from somewhere else". */
export const DataLocation = { DEFAULT: 0, EXTERNAL: 1 } as const;

/** The IR version our builder writes (ONNX 1.12+, understood by every onnxruntime we ship). */
export const BUILDER_IR_VERSION = 8;

type FieldJson = { type: string; id: number; rule?: 'repeated'; options?: { packed: boolean } };
type FieldTable = Record<string, FieldJson>;

const one = (type: string, id: number): FieldJson => ({ type, id });
const many = (type: string, id: number): FieldJson => ({ type, id, rule: 'repeated' });
/** onnx.proto is proto2: repeated scalars are unpacked unless marked [packed = true]. */
const packed = (type: string, id: number): FieldJson => ({ type, id, rule: 'repeated', options: { packed: true } });
const unpacked = (type: string, id: number): FieldJson => ({
  type,
  id,
  rule: 'repeated',
  options: { packed: false },
});

const ONNX_MESSAGES: Record<string, { fields: FieldTable; nested?: Record<string, { fields: FieldTable }> }> = {
  StringStringEntryProto: { fields: { key: one('string', 1), value: one('string', 2) } },
  OperatorSetIdProto: { fields: { domain: one('string', 1), version: one('int64', 2) } },
  TensorAnnotation: {
    fields: {
      tensor_name: one('string', 1),
      quant_parameter_tensor_names: many('StringStringEntryProto', 2),
    },
  },
  TensorProto: {
    fields: {
      dims: unpacked('int64', 1),
      data_type: one('int32', 2),
      segment: one('Segment', 3),
      float_data: packed('float', 4),
      int32_data: packed('int32', 5),
      string_data: many('bytes', 6),
      int64_data: packed('int64', 7),
      name: one('string', 8),
      raw_data: one('bytes', 9),
      double_data: packed('double', 10),
      uint64_data: packed('uint64', 11),
      doc_string: one('string', 12),
      external_data: many('StringStringEntryProto', 13),
      data_location: one('int32', 14),
      metadata_props: many('StringStringEntryProto', 16),
    },
    nested: { Segment: { fields: { begin: one('int64', 1), end: one('int64', 2) } } },
  },
  SparseTensorProto: {
    fields: { values: one('TensorProto', 1), indices: one('TensorProto', 2), dims: unpacked('int64', 3) },
  },
  TensorShapeProto: {
    fields: { dim: many('Dimension', 1) },
    nested: {
      Dimension: { fields: { dim_value: one('int64', 1), dim_param: one('string', 2), denotation: one('string', 3) } },
    },
  },
  TypeProto: {
    fields: {
      tensor_type: one('Tensor', 1),
      sequence_type: one('Sequence', 4),
      map_type: one('Map', 5),
      denotation: one('string', 6),
      sparse_tensor_type: one('SparseTensor', 8),
      optional_type: one('Optional', 9),
    },
    nested: {
      Tensor: { fields: { elem_type: one('int32', 1), shape: one('TensorShapeProto', 2) } },
      Sequence: { fields: { elem_type: one('TypeProto', 1) } },
      Map: { fields: { key_type: one('int32', 1), value_type: one('TypeProto', 2) } },
      Optional: { fields: { elem_type: one('TypeProto', 1) } },
      SparseTensor: { fields: { elem_type: one('int32', 1), shape: one('TensorShapeProto', 2) } },
    },
  },
  ValueInfoProto: {
    fields: {
      name: one('string', 1),
      type: one('TypeProto', 2),
      doc_string: one('string', 3),
      metadata_props: many('StringStringEntryProto', 4),
    },
  },
  AttributeProto: {
    fields: {
      name: one('string', 1),
      f: one('float', 2),
      i: one('int64', 3),
      s: one('bytes', 4),
      t: one('TensorProto', 5),
      g: one('GraphProto', 6),
      floats: unpacked('float', 7),
      ints: unpacked('int64', 8),
      strings: many('bytes', 9),
      tensors: many('TensorProto', 10),
      graphs: many('GraphProto', 11),
      doc_string: one('string', 13),
      tp: one('TypeProto', 14),
      type_protos: many('TypeProto', 15),
      type: one('int32', 20),
      ref_attr_name: one('string', 21),
      sparse_tensor: one('SparseTensorProto', 22),
      sparse_tensors: many('SparseTensorProto', 23),
    },
  },
  NodeProto: {
    fields: {
      input: many('string', 1),
      output: many('string', 2),
      name: one('string', 3),
      op_type: one('string', 4),
      attribute: many('AttributeProto', 5),
      doc_string: one('string', 6),
      domain: one('string', 7),
      overload: one('string', 8),
      metadata_props: many('StringStringEntryProto', 9),
    },
  },
  GraphProto: {
    fields: {
      node: many('NodeProto', 1),
      name: one('string', 2),
      initializer: many('TensorProto', 5),
      doc_string: one('string', 10),
      input: many('ValueInfoProto', 11),
      output: many('ValueInfoProto', 12),
      value_info: many('ValueInfoProto', 13),
      quantization_annotation: many('TensorAnnotation', 14),
      sparse_initializer: many('SparseTensorProto', 15),
      metadata_props: many('StringStringEntryProto', 16),
    },
  },
  FunctionProto: {
    fields: {
      name: one('string', 1),
      input: many('string', 4),
      output: many('string', 5),
      attribute: many('string', 6),
      node: many('NodeProto', 7),
      doc_string: one('string', 8),
      opset_import: many('OperatorSetIdProto', 9),
      domain: one('string', 10),
      attribute_proto: many('AttributeProto', 11),
      value_info: many('ValueInfoProto', 12),
      overload: one('string', 13),
      metadata_props: many('StringStringEntryProto', 14),
    },
  },
  ModelProto: {
    fields: {
      ir_version: one('int64', 1),
      producer_name: one('string', 2),
      producer_version: one('string', 3),
      domain: one('string', 4),
      model_version: one('int64', 5),
      doc_string: one('string', 6),
      graph: one('GraphProto', 7),
      opset_import: many('OperatorSetIdProto', 8),
      metadata_props: many('StringStringEntryProto', 14),
      functions: many('FunctionProto', 25),
    },
  },
};

/**
 * Fields of onnx.proto that exist but that this schema leaves out on purpose,
 * so a rejection can say which feature was used instead of a bare number.
 */
export const KNOWN_UNSUPPORTED_FIELDS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  'onnx.ModelProto': { 20: 'training_info', 26: 'configuration' },
  'onnx.NodeProto': { 10: 'device_configurations' },
  'onnx.TypeProto': { 7: 'opaque_type' },
  'onnx.AttributeProto': { 12: 'v (deprecated)' },
};

export const onnxRoot: protobuf.Root = protobuf.Root.fromJSON({ nested: { onnx: { nested: ONNX_MESSAGES } } });

export const ModelProtoType: protobuf.Type = onnxRoot.lookupType('onnx.ModelProto');
export const TensorProtoType: protobuf.Type = onnxRoot.lookupType('onnx.TensorProto');
export const GraphProtoType: protobuf.Type = onnxRoot.lookupType('onnx.GraphProto');

/** Plain objects out of protobufjs: int64 as exact decimal strings, bytes as Uint8Array, every repeated field an array. */
const TO_OBJECT_OPTIONS: protobuf.IConversionOptions = { longs: String, enums: Number, arrays: true };

function encodeMessage(type: protobuf.Type, value: object): Uint8Array {
  const problem = type.verify(value);
  if (problem) throw new TypeError(`invalid ${type.name}: ${problem}`);
  return type.encode(type.fromObject(value as Record<string, unknown>)).finish();
}

function decodeMessage<T>(type: protobuf.Type, bytes: Uint8Array): T {
  return type.toObject(type.decode(bytes), TO_OBJECT_OPTIONS) as T;
}

export function encodeModel(model: ModelProto): Uint8Array {
  return encodeMessage(ModelProtoType, model);
}

/**
 * Decodes without any safety checks. Untrusted bytes go through
 * validateModel (model-validation.ts) instead, which scans the wire format
 * strictly first.
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  return decodeMessage<ModelProto>(ModelProtoType, bytes);
}

export function encodeTensor(tensor: TensorProto): Uint8Array {
  return encodeMessage(TensorProtoType, tensor);
}

export function decodeTensor(bytes: Uint8Array): TensorProto {
  return decodeMessage<TensorProto>(TensorProtoType, bytes);
}

export function encodeGraph(graph: GraphProto): Uint8Array {
  return encodeMessage(GraphProtoType, graph);
}
