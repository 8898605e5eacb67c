import { describe, expect, it } from 'vitest';
import { bytesOf } from './tensor-bytes.ts';
import { assembleBatch } from './training-batches.ts';

const shard = (first: number, rows: number) => ({
  features: {
    name: 'X',
    dtype: 'float32',
    dims: [rows, 2],
    data: bytesOf(Float32Array.from({ length: rows * 2 }, (_, i) => first * 2 + i)),
  },
  labels: {
    name: 'Y',
    dtype: 'int64',
    dims: [rows],
    data: bytesOf(BigInt64Array.from({ length: rows }, (_, i) => BigInt(first + i))),
  },
});

describe('assembleBatch', () => {
  it('gathers rows across shards as one table, features and labels together', () => {
    const batch = assembleBatch([shard(0, 3), shard(3, 2)], [4, 0, 3], { features: 'X', labels: 'Y' });
    expect(batch.features.dims).toEqual([3, 2]);
    const features = new Float32Array(batch.features.data.slice().buffer);
    expect(Array.from(features)).toEqual([8, 9, 0, 1, 6, 7]);
    expect(Array.from(new BigInt64Array(batch.labels.data.slice().buffer))).toEqual([4n, 0n, 3n]);
  });
});
