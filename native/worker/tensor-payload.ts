/**
 * Tensors as they cross the agent <-> worker IPC channel: a dtype, dims and a
 * typed array. The channel uses Node's 'advanced' serialization (the structured
 * clone algorithm), so typed arrays travel as raw bytes, not as JSON numbers or
 * base64 text.
 */
import { z } from 'zod';

/** Beyond any real model; a cap keeps a hostile shape from overflowing the element count. */
export const MAX_TENSOR_RANK = 16;
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

export const TENSOR_DTYPES = [
  'float32',
  'float64',
  'float16',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'bool',
] as const;
export type TensorDtype = (typeof TENSOR_DTYPES)[number];

/** float16 travels as its raw bits (Uint16Array), which is what onnxruntime-node accepts everywhere. */
const ARRAY_TYPES = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
} as const;

export type TensorArray = InstanceType<(typeof ARRAY_TYPES)[TensorDtype]>;

export const TensorDimsSchema = z.array(z.int().min(0).max(MAX_TENSOR_ELEMENTS)).max(MAX_TENSOR_RANK);

function tensorVariant<D extends TensorDtype>(dtype: D) {
  return z.strictObject({
    dtype: z.literal(dtype),
    dims: TensorDimsSchema,
    data: z.instanceof(ARRAY_TYPES[dtype] as (typeof ARRAY_TYPES)[D]),
  });
}

export const TensorPayloadSchema = z
  .discriminatedUnion('dtype', [
    tensorVariant('float32'),
    tensorVariant('float64'),
    tensorVariant('float16'),
    tensorVariant('int8'),
    tensorVariant('uint8'),
    tensorVariant('int16'),
    tensorVariant('uint16'),
    tensorVariant('int32'),
    tensorVariant('uint32'),
    tensorVariant('int64'),
    tensorVariant('uint64'),
    tensorVariant('bool'),
  ])
  .refine((tensor) => elementCount(tensor.dims) === tensor.data.length, {
    message: 'the tensor data length does not match the product of its dims',
  });
export type TensorPayload = z.infer<typeof TensorPayloadSchema>;

/** The product of the dims; a scalar (no dims) has one element. Infinity when it exceeds the cap. */
export function elementCount(dims: readonly number[]): number {
  let count = 1;
  for (const dim of dims) {
    count *= dim;
    if (count > MAX_TENSOR_ELEMENTS) return Number.POSITIVE_INFINITY;
  }
  return count;
}

export function isTensorDtype(value: string): value is TensorDtype {
  return (TENSOR_DTYPES as readonly string[]).includes(value);
}

/**
 * The structured clone of a typed array carries its whole underlying
 * ArrayBuffer, so a small view into a big buffer (a Buffer from Node's pool, a
 * slice of a batch) is copied out first to send only its own bytes.
 */
export function compactTensorArray<T extends TensorArray | Uint8Array>(data: T): T {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) return data;
  return data.slice() as T;
}

/** A typed array of dtype holding a copy of little-endian bytes (copied, so the array is aligned and owns its buffer). */
export function typedArrayFromBytes(dtype: TensorDtype, bytes: Uint8Array): TensorArray {
  const ArrayType = ARRAY_TYPES[dtype];
  if (bytes.byteLength % ArrayType.BYTES_PER_ELEMENT !== 0) {
    throw new RangeError(`${bytes.byteLength} bytes are not a whole number of ${dtype} elements`);
  }
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new ArrayType(copy) as TensorArray;
}

/** Bytes per element of dtype as it travels (float16 as its 16-bit pattern, bool as one byte). */
export function bytesPerElement(dtype: TensorDtype): number {
  return ARRAY_TYPES[dtype].BYTES_PER_ELEMENT;
}

/** A typed array of dtype over byteLength bytes of buffer from byteOffset (no copy). */
export function typedArrayView(
  dtype: TensorDtype,
  buffer: ArrayBuffer,
  byteOffset: number,
  byteLength: number,
): TensorArray {
  const ArrayType = ARRAY_TYPES[dtype] as unknown as new (
    buffer: ArrayBuffer,
    byteOffset: number,
    length: number,
  ) => TensorArray;
  return new ArrayType(buffer, byteOffset, byteLength / bytesPerElement(dtype));
}

/** A tensor payload whose data owns exactly its bytes, ready to be sent. */
export function tensorPayload<D extends TensorDtype>(
  dtype: D,
  dims: readonly number[],
  data: InstanceType<(typeof ARRAY_TYPES)[D]>,
): TensorPayload {
  return { dtype, dims: [...dims], data: compactTensorArray(data) } as TensorPayload;
}

/** The runs with every tensor compacted; the same array when none needed it (the usual case, at no cost). */
export function compactFeeds<F extends Record<string, TensorPayload>>(runs: F[]): F[] {
  const isCompact = runs.every((feeds) =>
    Object.values(feeds).every(
      (tensor) => tensor.data.byteOffset === 0 && tensor.data.byteLength === tensor.data.buffer.byteLength,
    ),
  );
  if (isCompact) return runs;
  return runs.map(
    (feeds) => Object.fromEntries(Object.entries(feeds).map(([name, tensor]) => [name, compactTensor(tensor)])) as F,
  );
}

/** The tensor with data that owns exactly its bytes (the same tensor when it already does). */
export function compactTensor<T extends TensorPayload>(tensor: T): T {
  const data = compactTensorArray(tensor.data);
  return data === tensor.data ? tensor : ({ ...tensor, data } as T);
}

/** Total bytes of the tensors' data, for transfer-time allowances. */
export function payloadBytes(tensors: Iterable<TensorPayload>): number {
  let bytes = 0;
  for (const tensor of tensors) bytes += tensor.data.byteLength;
  return bytes;
}
