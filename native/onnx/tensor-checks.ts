/**
 * Checks of tensors stored inside a model (initializers, attribute tensors,
 * sparse parts) and of declared types (graph inputs, outputs, value_info):
 * element type, shape, element count, and that the stored data is exactly as
 * large as the shape says. Sizes are bigint until they are known to be small.
 */
import { boundedProduct, toBigInt } from './int64.ts';
import type { ModelLimits } from './model-limits.ts';
import type { SparseTensorProto, TensorProto, TensorShapeProto, TypeProto } from './onnx-proto.ts';
import { TensorDataType } from './onnx-proto.ts';
import { modelElementBytes, onnxDataTypeName } from './tensor-dtypes.ts';
import { type ModelRule, type Rejection, reject } from './validation-rules.ts';

export type TensorRejection = Rejection<ModelRule>;

export interface TensorSize {
  readonly elements: number;
  /** Bytes once materialized in memory. */
  readonly bytes: number;
}

export type TensorCheck = ({ readonly ok: true } & TensorSize) | TensorRejection;

type ShapeCheck = { readonly ok: true; readonly elements: bigint } | TensorRejection;

/** Dims must be integers >= 0, the rank at most the cap, and the product at most the element cap. */
export function checkDims(dims: readonly bigint[], where: string, limits: ModelLimits): ShapeCheck {
  if (dims.length > limits.maxTensorRank) {
    return reject('onnx.tensor_shape', `${where} has rank ${dims.length}; the limit is ${limits.maxTensorRank}.`);
  }
  const negative = dims.find((dim) => dim < 0n);
  if (negative !== undefined) {
    return reject('onnx.tensor_shape', `${where} has a negative dimension (${negative}).`);
  }
  const cap = BigInt(limits.maxTensorElements);
  const elements = boundedProduct(dims, cap);
  if (elements > cap) {
    return reject(
      'onnx.tensor_elements',
      `${where} declares shape [${dims.join(', ')}], more than ${limits.maxTensorElements} elements.`,
    );
  }
  return { ok: true, elements };
}

function dimsOf(values: readonly (number | string)[] | undefined, where: string): bigint[] | TensorRejection {
  try {
    return (values ?? []).map((value) => toBigInt(value));
  } catch {
    return reject('onnx.tensor_shape', `${where} has a dimension that is not an integer.`);
  }
}

/** Which typed repeated field may carry each data type, per onnx.proto. */
function typedFieldFor(dataType: number): keyof TensorProto | undefined {
  switch (dataType) {
    case TensorDataType.FLOAT:
      return 'float_data';
    case TensorDataType.DOUBLE:
      return 'double_data';
    case TensorDataType.INT64:
      return 'int64_data';
    case TensorDataType.UINT32:
    case TensorDataType.UINT64:
      return 'uint64_data';
    case TensorDataType.INT32:
    case TensorDataType.INT16:
    case TensorDataType.INT8:
    case TensorDataType.UINT16:
    case TensorDataType.UINT8:
    case TensorDataType.BOOL:
    case TensorDataType.FLOAT16:
    case TensorDataType.BFLOAT16:
      return 'int32_data';
    default:
      return undefined;
  }
}

const DATA_FIELDS = ['float_data', 'int32_data', 'string_data', 'int64_data', 'double_data', 'uint64_data'] as const;

function checkStoredData(tensor: TensorProto, elements: bigint, bytes: bigint, where: string): TensorRejection | null {
  if (tensor.segment)
    return reject('onnx.tensor_data', `${where} is a segment of a larger tensor; segments are not supported.`);
  const typedFields = DATA_FIELDS.filter((field) => (tensor[field]?.length ?? 0) > 0);
  const hasRaw = tensor.raw_data !== undefined && tensor.raw_data.length > 0;
  if (typedFields.length + (hasRaw ? 1 : 0) > 1) {
    return reject('onnx.tensor_data', `${where} stores its data in more than one field.`);
  }
  if (hasRaw) {
    const rawLength = BigInt(tensor.raw_data?.length ?? 0);
    if (rawLength !== bytes) {
      return reject('onnx.tensor_data', `${where} has ${rawLength} bytes of data; its shape and type need ${bytes}.`);
    }
    return null;
  }
  const [field] = typedFields;
  if (field === undefined) {
    return elements === 0n
      ? null
      : reject('onnx.tensor_data', `${where} declares ${elements} elements but stores no data.`);
  }
  const dataType = tensor.data_type ?? 0;
  if (typedFieldFor(dataType) !== field) {
    return reject('onnx.tensor_data', `${where} stores ${onnxDataTypeName(dataType)} values in ${field}.`);
  }
  const count = BigInt(tensor[field]?.length ?? 0);
  if (count !== elements) {
    return reject('onnx.tensor_data', `${where} stores ${count} values; its shape needs ${elements}.`);
  }
  return null;
}

export interface TensorCheckOptions {
  /** When set, the materialized size must stay within this many bytes (checked before the data itself). */
  readonly maxBytes?: { readonly bytes: number; readonly rule: ModelRule; readonly what: string };
}

/** Checks a dense TensorProto: element type, shape and element cap, optional byte cap, then stored data size. */
export function checkTensorProto(
  tensor: TensorProto,
  where: string,
  limits: ModelLimits,
  options: TensorCheckOptions = {},
): TensorCheck {
  const dataType = tensor.data_type ?? 0;
  const elementBytes = modelElementBytes(dataType);
  if (elementBytes === undefined) {
    return reject(
      'onnx.tensor_dtype',
      `${where} has element type ${onnxDataTypeName(dataType)}, which models may not store.`,
    );
  }
  const dims = dimsOf(tensor.dims, where);
  if (!Array.isArray(dims)) return dims;
  const shape = checkDims(dims, where, limits);
  if (!shape.ok) return shape;
  const bytes = shape.elements * BigInt(elementBytes);
  const { maxBytes } = options;
  if (maxBytes && bytes > BigInt(maxBytes.bytes)) {
    return reject(maxBytes.rule, `${where} holds ${bytes} bytes; ${maxBytes.what} may hold at most ${maxBytes.bytes}.`);
  }
  const stored = checkStoredData(tensor, shape.elements, bytes, where);
  if (stored) return stored;
  return { ok: true, elements: Number(shape.elements), bytes: Number(bytes) };
}

/**
 * Checks a SparseTensorProto. Its size is the dense size, because onnxruntime
 * densifies sparse initializers and constants when it loads them: a tiny sparse
 * tensor can otherwise stand for gigabytes.
 */
export function checkSparseTensorProto(
  sparse: SparseTensorProto,
  where: string,
  limits: ModelLimits,
  options: TensorCheckOptions = {},
): TensorCheck {
  const { values, indices } = sparse;
  if (!values || !indices) return reject('onnx.tensor_data', `${where} is a sparse tensor without values or indices.`);
  const dims = dimsOf(sparse.dims, where);
  if (!Array.isArray(dims)) return dims;
  const dense = checkDims(dims, `${where} (dense shape)`, limits);
  if (!dense.ok) return dense;
  const valuesCheck = checkTensorProto(values, `${where}.values`, limits);
  if (!valuesCheck.ok) return valuesCheck;
  const indicesCheck = checkTensorProto(indices, `${where}.indices`, limits);
  if (!indicesCheck.ok) return indicesCheck;
  if ((values.dims ?? []).length !== 1) return reject('onnx.tensor_data', `${where}.values must be one-dimensional.`);
  if (indices.data_type !== TensorDataType.INT64) return reject('onnx.tensor_data', `${where}.indices must be int64.`);
  const nnz = valuesCheck.elements;
  const indexCount = nnz * (indices.dims?.length === 2 ? dims.length : 1);
  if (indicesCheck.elements !== indexCount || BigInt(nnz) > dense.elements) {
    return reject('onnx.tensor_data', `${where} has ${nnz} values but ${indicesCheck.elements} indices.`);
  }
  const elementBytes = modelElementBytes(values.data_type ?? 0) ?? 0;
  const bytes = dense.elements * BigInt(elementBytes);
  const { maxBytes } = options;
  if (maxBytes && bytes > BigInt(maxBytes.bytes)) {
    return reject(
      maxBytes.rule,
      `${where} densifies to ${bytes} bytes; ${maxBytes.what} may hold at most ${maxBytes.bytes}.`,
    );
  }
  return { ok: true, elements: Number(dense.elements), bytes: Number(bytes) };
}

function checkShapeProto(
  shape: TensorShapeProto | undefined,
  where: string,
  limits: ModelLimits,
): TensorRejection | null {
  if (!shape) return null;
  const known: bigint[] = [];
  const dims = shape.dim ?? [];
  if (dims.length > limits.maxTensorRank) {
    return reject('onnx.tensor_shape', `${where} has rank ${dims.length}; the limit is ${limits.maxTensorRank}.`);
  }
  for (const dim of dims) {
    if (dim.dim_value === undefined) continue;
    const parsed = dimsOf([dim.dim_value], where);
    if (!Array.isArray(parsed)) return parsed;
    known.push(...parsed);
  }
  const checked = checkDims(known, where, limits);
  return checked.ok ? null : checked;
}

/** Checks every tensor shape inside a declared type, through sequences, maps and optionals. */
export function checkTypeProto(
  type: TypeProto | undefined,
  where: string,
  limits: ModelLimits,
): TensorRejection | null {
  if (!type) return null;
  const tensorType = type.tensor_type ?? type.sparse_tensor_type;
  if (tensorType) return checkShapeProto(tensorType.shape, where, limits);
  const inner = type.sequence_type?.elem_type ?? type.optional_type?.elem_type ?? type.map_type?.value_type;
  return inner ? checkTypeProto(inner, where, limits) : null;
}
