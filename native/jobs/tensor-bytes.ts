/**
 * A job tensor with its bytes in hand: what a TensorSpec becomes once its
 * inline data is decoded or its blob is fetched and verified. Shapes and byte
 * lengths are checked separately (native/onnx/input-validation.ts).
 */
import { type Rejection, reject } from '../onnx/validation-rules.ts';
import { type BlobRule, type BlobSource, readVerifiedBlob } from './blob-ref.ts';
import type { TensorSpec } from './job-spec.ts';

export interface TensorBytes {
  readonly name: string;
  /** Unchecked here: jobs arriving over IPC are re-validated by input validation. */
  readonly dtype: string;
  readonly dims: readonly number[];
  /** Little-endian, row-major. */
  readonly data: Uint8Array;
}

export type TensorBytesRule = BlobRule | 'input.base64';

export function decodeTensorSpec(spec: TensorSpec, blobs: BlobSource): TensorBytes | Rejection<TensorBytesRule> {
  if (spec.data.kind === 'inline') {
    const data = Buffer.from(spec.data.base64, 'base64');
    if (data.toString('base64') !== spec.data.base64) {
      return reject('input.base64', `tensor '${spec.name}' has inline data that is not canonical base64.`);
    }
    return {
      name: spec.name,
      dtype: spec.dtype,
      dims: spec.dims,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  }
  const data = readVerifiedBlob(blobs, spec.data.blob, `data of tensor '${spec.name}'`);
  if ('ok' in data) return data;
  return { name: spec.name, dtype: spec.dtype, dims: spec.dims, data };
}

/** A TensorSpec carrying the bytes inline (results, small inputs). */
export function inlineTensorSpec(tensor: TensorBytes & { readonly dtype: TensorSpec['dtype'] }): TensorSpec {
  return {
    name: tensor.name,
    dtype: tensor.dtype,
    dims: [...tensor.dims],
    data: {
      kind: 'inline',
      base64: Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength).toString('base64'),
    },
  };
}

/** The bytes of a typed array, as a view (no copy). */
export function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
