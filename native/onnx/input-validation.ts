/**
 * Checks of the tensors a job feeds a model, before they reach the worker:
 * each tensor on its own (dtype jobs may use, sane dims, bounded element
 * count, exactly dtype-size x elements bytes), then against the model's
 * declared inputs (known name, same dtype, same rank and fixed dims, symbolic
 * dims consistent across inputs, nothing required missing).
 */
import type { ModelValueSummary } from './model-validation.ts';
import { bytesPerElement, TENSOR_DTYPES, type TensorDtype } from './tensor-dtypes.ts';
import { type InputRule, type Rejection, reject } from './validation-rules.ts';

export interface InputTensor {
  readonly name: string;
  /** Checked here: the value may come from IPC or JSON. */
  readonly dtype: string;
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

export interface InputLimits {
  readonly maxTensorElements: number;
  readonly maxTensorRank: number;
  /** All tensors of one feed together. */
  readonly maxFeedBytes: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = Object.freeze({
  maxTensorElements: 64 * 1024 * 1024,
  maxTensorRank: 8,
  maxFeedBytes: 512 * 1024 * 1024,
});

export type InputCheck = { readonly ok: true } | Rejection<InputRule>;

const OK: InputCheck = { ok: true };

function isTensorDtype(dtype: string): dtype is TensorDtype {
  return (TENSOR_DTYPES as readonly string[]).includes(dtype);
}

/** One tensor on its own: dtype, dims, element cap, byte length. */
export function checkInputTensor(tensor: InputTensor, limits: InputLimits = DEFAULT_INPUT_LIMITS): InputCheck {
  const where = `input '${tensor.name}'`;
  if (!isTensorDtype(tensor.dtype)) {
    return reject('input.dtype', `${where} has dtype '${tensor.dtype}'; jobs may feed ${TENSOR_DTYPES.join(', ')}.`);
  }
  if (tensor.dims.length > limits.maxTensorRank) {
    return reject('input.shape', `${where} has rank ${tensor.dims.length}; the limit is ${limits.maxTensorRank}.`);
  }
  if (tensor.dims.some((dim) => !Number.isSafeInteger(dim) || dim < 0)) {
    return reject(
      'input.shape',
      `${where} has a dimension that is not a non-negative integer: [${tensor.dims.join(', ')}].`,
    );
  }
  let elements = 1;
  for (const dim of tensor.dims) {
    elements *= dim;
    if (elements > limits.maxTensorElements) {
      return reject(
        'input.elements',
        `${where} has shape [${tensor.dims.join(', ')}], more than ${limits.maxTensorElements} elements.`,
      );
    }
  }
  const expected = elements * bytesPerElement(tensor.dtype);
  if (tensor.data.length !== expected) {
    return reject(
      'input.byte_length',
      `${where} carries ${tensor.data.length} bytes; ${tensor.dtype} [${tensor.dims.join(', ')}] needs ${expected}.`,
    );
  }
  return OK;
}

function checkAgainstDeclared(
  tensor: InputTensor,
  declared: ModelValueSummary,
  symbols: Map<string, number>,
): InputCheck {
  const where = `input '${tensor.name}'`;
  if (tensor.dtype !== declared.dtype) {
    return reject('input.dtype_mismatch', `${where} is ${tensor.dtype}; the model expects ${declared.dtype}.`);
  }
  if (!declared.dims) return OK;
  if (declared.dims.length !== tensor.dims.length) {
    return reject(
      'input.shape',
      `${where} has rank ${tensor.dims.length}; the model expects rank ${declared.dims.length}.`,
    );
  }
  for (const [axis, want] of declared.dims.entries()) {
    const got = tensor.dims[axis] as number;
    if (typeof want === 'number' && want !== got) {
      return reject('input.shape', `${where} has size ${got} on axis ${axis}; the model expects ${want}.`);
    }
    if (typeof want === 'string') {
      const seen = symbols.get(want);
      if (seen !== undefined && seen !== got) {
        return reject(
          'input.shape',
          `${where} sets dimension '${want}' to ${got}, but another input set it to ${seen}.`,
        );
      }
      symbols.set(want, got);
    }
  }
  return OK;
}

/** A whole feed against the model's declared inputs. */
export function validateFeed(
  tensors: readonly InputTensor[],
  modelInputs: readonly ModelValueSummary[],
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): InputCheck {
  const declared = new Map(modelInputs.map((input) => [input.name, input]));
  const fed = new Set<string>();
  const symbols = new Map<string, number>();
  let totalBytes = 0;
  for (const tensor of tensors) {
    const own = checkInputTensor(tensor, limits);
    if (!own.ok) return own;
    const input = declared.get(tensor.name);
    if (!input) {
      return reject(
        'input.unknown_name',
        `input '${tensor.name}' is not an input of the model (it has ${[...declared.keys()].join(', ') || 'none'}).`,
      );
    }
    if (fed.has(tensor.name)) return reject('input.duplicate_name', `input '${tensor.name}' is fed twice.`);
    fed.add(tensor.name);
    const matches = checkAgainstDeclared(tensor, input, symbols);
    if (!matches.ok) return matches;
    totalBytes += tensor.data.length;
    if (totalBytes > limits.maxFeedBytes) {
      return reject('input.bytes_total', `one feed carries more than ${limits.maxFeedBytes} bytes.`);
    }
  }
  const missing = modelInputs.find((input) => !input.hasDefault && !fed.has(input.name));
  if (missing)
    return reject('input.missing', `the model needs input '${missing.name}', which the feed does not provide.`);
  return OK;
}
