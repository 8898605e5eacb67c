/**
 * Parameters of a multi-layer perceptron with layer sizes [d0, d1, ..., dL]:
 * layer l has weights W{l} of shape [d{l-1}, d{l}] and biases b{l} of shape
 * [d{l}]. Initialization is seeded (He-normal weights, zero biases), so the
 * same seed gives the same starting point everywhere.
 */
import { type TensorValue, tensorValue } from '../graph-builder.ts';
import { seededRandom } from '../seeded-random.ts';

export type MlpDtype = 'float32' | 'float64';

export interface MlpParamShape {
  readonly name: string;
  readonly dims: readonly number[];
}

export interface MlpParam<D extends MlpDtype = MlpDtype> {
  readonly name: string;
  readonly value: TensorValue<D>;
}

export function assertLayerSizes(layerSizes: readonly number[]): void {
  if (layerSizes.length < 2 || layerSizes.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new RangeError('an MLP needs at least two layer sizes, each a positive integer');
  }
}

/** Names and shapes in a fixed order: W1, b1, W2, b2, ... */
export function mlpParamShapes(layerSizes: readonly number[]): MlpParamShape[] {
  assertLayerSizes(layerSizes);
  return layerSizes.slice(1).flatMap((size, index) => {
    const layer = index + 1;
    const fanIn = layerSizes[index] as number;
    return [
      { name: `W${layer}`, dims: [fanIn, size] },
      { name: `b${layer}`, dims: [size] },
    ];
  });
}

function typedArray<D extends MlpDtype>(dtype: D, values: ArrayLike<number>): TensorValue<D>['data'] {
  return (dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values)) as TensorValue<D>['data'];
}

export function initMlpParams<D extends MlpDtype>(
  layerSizes: readonly number[],
  seed: number,
  dtype: D,
): MlpParam<D>[] {
  const random = seededRandom(seed);
  return mlpParamShapes(layerSizes).map(({ name, dims }) => {
    const count = dims.reduce((product, dim) => product * dim, 1);
    const isWeight = dims.length === 2;
    const scale = isWeight ? Math.sqrt(2 / (dims[0] as number)) : 0;
    const values = Array.from({ length: count }, () => (isWeight ? random.normal() * scale : 0));
    return { name, value: tensorValue(dtype, dims, typedArray(dtype, values)) };
  });
}

/** Zeros shaped like each parameter (the initial Adam moments). */
export function zerosLike<D extends MlpDtype>(params: readonly MlpParam<D>[]): MlpParam<D>[] {
  return params.map(({ name, value }) => ({
    name,
    value: tensorValue(value.dtype, value.dims, typedArray(value.dtype, new Array(value.data.length).fill(0))),
  }));
}
