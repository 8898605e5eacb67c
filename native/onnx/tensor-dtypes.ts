/**
 * The tensor element types jobs may use, and how each maps to ONNX and to
 * bytes. One table so the job spec, the builder and the validator agree.
 */

// The list lives with the worker's payload schema: the sandboxed worker may import nothing outside native/worker/.
import { TENSOR_DTYPES, type TensorDtype } from '../worker/tensor-payload.ts';
import { TensorDataType } from './onnx-proto.ts';

export { TENSOR_DTYPES, type TensorDtype };

interface DtypeInfo {
  onnx: number;
  bytesPerElement: number;
}

const DTYPE_INFO: Readonly<Record<TensorDtype, DtypeInfo>> = {
  float32: { onnx: TensorDataType.FLOAT, bytesPerElement: 4 },
  float64: { onnx: TensorDataType.DOUBLE, bytesPerElement: 8 },
  float16: { onnx: TensorDataType.FLOAT16, bytesPerElement: 2 },
  int8: { onnx: TensorDataType.INT8, bytesPerElement: 1 },
  uint8: { onnx: TensorDataType.UINT8, bytesPerElement: 1 },
  int16: { onnx: TensorDataType.INT16, bytesPerElement: 2 },
  uint16: { onnx: TensorDataType.UINT16, bytesPerElement: 2 },
  int32: { onnx: TensorDataType.INT32, bytesPerElement: 4 },
  uint32: { onnx: TensorDataType.UINT32, bytesPerElement: 4 },
  int64: { onnx: TensorDataType.INT64, bytesPerElement: 8 },
  uint64: { onnx: TensorDataType.UINT64, bytesPerElement: 8 },
  bool: { onnx: TensorDataType.BOOL, bytesPerElement: 1 },
};

const DTYPE_BY_ONNX: ReadonlyMap<number, TensorDtype> = new Map(
  TENSOR_DTYPES.map((dtype) => [DTYPE_INFO[dtype].onnx, dtype] as const),
);

/** BFLOAT16 is allowed inside models (weights) but not as a job's input dtype, which onnxruntime-node cannot feed. */
const MODEL_ONLY_ELEMENT_BYTES: ReadonlyMap<number, number> = new Map([[TensorDataType.BFLOAT16, 2]]);

export function onnxDataTypeOf(dtype: TensorDtype): number {
  return DTYPE_INFO[dtype].onnx;
}

export function bytesPerElement(dtype: TensorDtype): number {
  return DTYPE_INFO[dtype].bytesPerElement;
}

/** The job dtype for an ONNX data type, or undefined when jobs cannot use it. */
export function dtypeOfOnnx(dataType: number): TensorDtype | undefined {
  return DTYPE_BY_ONNX.get(dataType);
}

/**
 * Bytes per element for a data type allowed inside a model (initializers,
 * attribute tensors), or undefined for types we refuse there: STRING (unbounded
 * sizes), complex, 4- and 8-bit floats and ints.
 */
export function modelElementBytes(dataType: number): number | undefined {
  const dtype = DTYPE_BY_ONNX.get(dataType);
  if (dtype !== undefined) return DTYPE_INFO[dtype].bytesPerElement;
  return MODEL_ONLY_ELEMENT_BYTES.get(dataType);
}

/** A readable name for any ONNX data type number, for messages. */
export function onnxDataTypeName(dataType: number): string {
  const dtype = DTYPE_BY_ONNX.get(dataType);
  if (dtype !== undefined) return dtype;
  const entry = Object.entries(TensorDataType).find(([, value]) => value === dataType);
  return entry ? entry[0].toLowerCase() : `data type ${dataType}`;
}
