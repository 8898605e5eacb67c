/**
 * Job tensors (bytes, as specs and results carry them) to and from worker
 * payloads (typed arrays, as the IPC channel carries them).
 */

import { IdlehiveError } from '../../agent/errors.ts';
import { TENSOR_DTYPES, type TensorDtype } from '../onnx/tensor-dtypes.ts';
import { type TensorPayload, typedArrayFromBytes } from '../worker/tensor-payload.ts';
import type { Feeds } from '../worker/worker-protocol.ts';
import { MAX_INLINE_TENSOR_BYTES, type TensorSpec } from './job-spec.ts';
import { bytesOf, inlineTensorSpec, type TensorBytes } from './tensor-bytes.ts';

function asDtype(dtype: string): TensorDtype {
  if (!(TENSOR_DTYPES as readonly string[]).includes(dtype)) throw new RangeError(`unknown dtype ${dtype}`);
  return dtype as TensorDtype;
}

export function toPayload(tensor: TensorBytes): TensorPayload {
  const dtype = asDtype(tensor.dtype);
  return { dtype, dims: [...tensor.dims], data: typedArrayFromBytes(dtype, tensor.data) } as TensorPayload;
}

export function toFeeds(tensors: readonly TensorBytes[]): Feeds {
  return Object.fromEntries(tensors.map((tensor) => [tensor.name, toPayload(tensor)]));
}

export function fromPayload(name: string, payload: TensorPayload): TensorBytes & { dtype: TensorSpec['dtype'] } {
  return { name, dtype: payload.dtype, dims: [...payload.dims], data: bytesOf(payload.data) };
}

export function payloadToSpec(name: string, payload: TensorPayload): TensorSpec {
  return resultTensorSpec(fromPayload(name, payload));
}

/**
 * A tensor a result (or checkpoint) carries inline. Results travel inline, so
 * a tensor above the inline cap ends the job with a reason instead of a
 * result that no schema would accept.
 */
export function resultTensorSpec(tensor: TensorBytes & { readonly dtype: TensorSpec['dtype'] }): TensorSpec {
  if (tensor.data.byteLength > MAX_INLINE_TENSOR_BYTES) {
    throw new IdlehiveError(
      'job.output_too_large',
      `The job produced '${tensor.name}' of ${tensor.data.byteLength} bytes; results carry at most ${MAX_INLINE_TENSOR_BYTES} bytes per tensor. Ask for a smaller output or split the job.`,
    );
  }
  return inlineTensorSpec(tensor);
}

/** A scalar of the given float dtype (learning rate, Adam's step), as the train-step graph declares it. */
export function floatScalar(dtype: 'float32' | 'float64', value: number): TensorPayload {
  return dtype === 'float64'
    ? { dtype, dims: [], data: Float64Array.of(value) }
    : { dtype, dims: [], data: Float32Array.of(value) };
}
