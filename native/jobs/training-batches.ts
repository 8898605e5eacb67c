/**
 * Assembling a batch from a training job's data shards: the shards are one
 * table of rows in order, and a batch copies the chosen rows of features and
 * labels into two new tensors. Shards are checked once up front (same dtypes,
 * same row width, labels matching features) by job validation.
 */
import { bytesPerElement, type TensorDtype } from '../onnx/tensor-dtypes.ts';
import type { TensorBytes } from './tensor-bytes.ts';

export interface TrainingShard {
  readonly features: TensorBytes;
  readonly labels: TensorBytes;
}

export interface Batch {
  readonly features: TensorBytes;
  readonly labels: TensorBytes;
}

function rowBytes(tensor: TensorBytes): number {
  const perRow = tensor.dims.slice(1).reduce((product, dim) => product * dim, 1);
  return perRow * bytesPerElement(tensor.dtype as TensorDtype);
}

/** Rows per shard, and each shard's first row in the concatenated table. */
function shardOffsets(shards: readonly TrainingShard[]): number[] {
  const offsets: number[] = [];
  let total = 0;
  for (const shard of shards) {
    offsets.push(total);
    total += shard.features.dims[0] ?? 0;
  }
  return offsets;
}

export function totalRows(shards: readonly TrainingShard[]): number {
  return shards.reduce((total, shard) => total + (shard.features.dims[0] ?? 0), 0);
}

function gather(
  shards: readonly TrainingShard[],
  rows: readonly number[],
  pick: (shard: TrainingShard) => TensorBytes,
  name: string,
): TensorBytes {
  const first = pick(shards[0] as TrainingShard);
  const width = rowBytes(first);
  const offsets = shardOffsets(shards);
  const data = new Uint8Array(rows.length * width);
  for (const [index, row] of rows.entries()) {
    let shardIndex = offsets.length - 1;
    while (shardIndex > 0 && (offsets[shardIndex] as number) > row) shardIndex--;
    const source = pick(shards[shardIndex] as TrainingShard);
    const local = row - (offsets[shardIndex] as number);
    data.set(source.data.subarray(local * width, (local + 1) * width), index * width);
  }
  return { name, dtype: first.dtype, dims: [rows.length, ...first.dims.slice(1)], data };
}

/** The batch of the given rows, named as the train-step graph's inputs. */
export function assembleBatch(
  shards: readonly TrainingShard[],
  rows: readonly number[],
  names: { features: string; labels: string },
): Batch {
  if (shards.length === 0) throw new RangeError('a batch needs at least one shard');
  return {
    features: gather(shards, rows, (shard) => shard.features, names.features),
    labels: gather(shards, rows, (shard) => shard.labels, names.labels),
  };
}
