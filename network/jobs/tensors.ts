/**
 * Result tensors on the wire are the job contract's TensorSpec with inline
 * data (native/jobs/job-spec.ts), so a worker's output travels unchanged.
 * These helpers check that the bytes fit the dtype and dims, read the values
 * for tolerance comparison, and hash groups of tensors with the compute
 * side's canonical digest, so the agent and the coordinator compute the same
 * output hash with the same function.
 */
import { z } from 'zod';
import { canonicalTensorDigest } from '../../native/jobs/canonical-tensors.ts';
import { type TensorSpec, TensorSpecSchema } from '../../native/jobs/job-spec.ts';
import { bytesPerElement, type TensorDtype } from '../../native/onnx/tensor-dtypes.ts';

export type InlineTensor = TensorSpec & { data: { kind: 'inline'; base64: string } };

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, dim) => product * dim, 1);
}

/** Decoded length of a base64 string, without decoding it. */
export function base64ByteLength(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return (data.length / 4) * 3 - padding;
}

/** A result tensor: inline data whose byte count is exactly what its dtype and dims need. */
export const InlineTensorSchema = TensorSpecSchema.superRefine((tensor, ctx) => {
  if (tensor.data.kind !== 'inline') {
    ctx.addIssue({ code: 'custom', path: ['data'], message: 'result tensors carry their data inline' });
    return;
  }
  const expected = elementCount(tensor.dims) * bytesPerElement(tensor.dtype);
  const actual = base64ByteLength(tensor.data.base64);
  if (expected !== actual) {
    ctx.addIssue({
      code: 'custom',
      path: ['data'],
      message: `holds ${actual} bytes but a ${tensor.dtype} tensor of dims [${tensor.dims.join(', ')}] needs ${expected}`,
    });
  }
}).transform((tensor) => tensor as InlineTensor);

/** Groups of result tensors: one group per inference feed, or one group of final training parameters. */
export const OutputGroupsSchema = z.array(z.array(InlineTensorSchema).min(1).max(256)).min(1).max(100_000);
export type OutputGroups = readonly (readonly InlineTensor[])[];

export function tensorBytes(tensor: InlineTensor): Buffer {
  return Buffer.from(tensor.data.base64, 'base64');
}

export function inlineTensor(name: string, dtype: TensorDtype, dims: number[], bytes: Uint8Array): InlineTensor {
  const base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return { name, dtype, dims, data: { kind: 'inline', base64 } };
}

export function float32Tensor(name: string, dims: number[], values: ArrayLike<number>): InlineTensor {
  const array = Float32Array.from(values as ArrayLike<number>);
  return inlineTensor(name, 'float32', dims, new Uint8Array(array.buffer));
}

/** IEEE 754 half precision to a JS number. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

const READERS: Readonly<Record<TensorDtype, (view: DataView, at: number) => number>> = {
  float32: (view, at) => view.getFloat32(at, true),
  float64: (view, at) => view.getFloat64(at, true),
  float16: (view, at) => halfToNumber(view.getUint16(at, true)),
  int8: (view, at) => view.getInt8(at),
  uint8: (view, at) => view.getUint8(at),
  bool: (view, at) => view.getUint8(at),
  int16: (view, at) => view.getInt16(at, true),
  uint16: (view, at) => view.getUint16(at, true),
  int32: (view, at) => view.getInt32(at, true),
  uint32: (view, at) => view.getUint32(at, true),
  // Through Number: exact up to 2^53, which is all a tolerance comparison needs.
  int64: (view, at) => Number(view.getBigInt64(at, true)),
  uint64: (view, at) => Number(view.getBigUint64(at, true)),
};

/** Every element as a JS number. */
export function tensorValues(tensor: InlineTensor): Float64Array {
  const bytes = tensorBytes(tensor);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytesPerElement(tensor.dtype);
  const read = READERS[tensor.dtype];
  const count = Math.floor(bytes.length / size);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = read(view, i * size);
  return out;
}

/** The output hash a result carries: the compute side's canonical digest of the groups, in order. */
export function outputGroupsSha256(groups: OutputGroups): string {
  return canonicalTensorDigest(
    groups.map((group) =>
      group.map((tensor) => {
        const data = tensorBytes(tensor);
        return { name: tensor.name, dtype: tensor.dtype, dims: tensor.dims, data: new Uint8Array(data) };
      }),
    ),
  );
}
