/**
 * int64 values from decoded models arrive as exact decimal strings (see
 * onnx-proto.ts). Sizes are computed in bigint so a dimension of 2^62 stays
 * 2^62 instead of rounding, and products cannot overflow.
 */
import type { Int64 } from './onnx-proto.ts';

export function toBigInt(value: Int64 | undefined): bigint {
  if (value === undefined) return 0n;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new RangeError(`not an integer: ${value}`);
    return BigInt(value);
  }
  return BigInt(value);
}

/** A safe JavaScript number, or undefined when the value does not fit exactly. */
export function toSafeNumber(value: bigint): number | undefined {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
  return Number(value);
}

/** The product of the dims, stopping early once it passes cap (so absurd shapes cost nothing). */
export function boundedProduct(dims: readonly bigint[], cap: bigint): bigint {
  let product = 1n;
  for (const dim of dims) {
    product *= dim;
    if (product > cap) return product;
  }
  return product;
}
