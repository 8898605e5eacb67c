import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from './blob-ref.ts';
import { irisTrainingJob } from './examples/iris-jobs.ts';
import type { TrainingJobSpec } from './job-spec.ts';
import { validateTrainingJob } from './job-validation.ts';
import { bytesOf, inlineTensorSpec } from './tensor-bytes.ts';

function iris(edit: (spec: TrainingJobSpec, store: MemoryBlobStore) => void = () => {}) {
  const store = new MemoryBlobStore();
  const spec = irisTrainingJob((bytes) => store.put(bytes));
  edit(spec, store);
  return validateTrainingJob(spec, store);
}

describe('training job validation', () => {
  it('accepts the Iris example and hands back its decoded shards', () => {
    const validated = iris();
    if (!validated.ok) throw new Error(`${validated.rule}: ${validated.message}`);
    expect(validated.job.shards[0]?.features.dims).toEqual([120, 4]);
    expect(validated.job.initialParams.map((param) => param.name)).toEqual(['W1', 'b1', 'W2', 'b2']);
  });

  it('names the path of a schema failure', () => {
    const rejected = iris((spec) => {
      spec.checkpointInterval = spec.steps + 1;
    });
    expect(rejected).toMatchObject({ ok: false, rule: 'job.spec' });
    if (!rejected.ok) expect(rejected.message).toMatch(/checkpointInterval/);
    expect(iris((spec) => Object.assign(spec.limits, { maxMemoryMb: 64 }))).toMatchObject({ rule: 'job.spec' });
  });

  it('refuses shards whose features and labels disagree on rows', () => {
    const rejected = iris((spec) => {
      const shard = spec.dataShards[0];
      if (shard) {
        shard.labels = inlineTensorSpec({
          name: 'Y',
          dtype: 'int64',
          dims: [3],
          data: bytesOf(BigInt64Array.of(0n, 1n, 2n)),
        });
      }
    });
    expect(rejected).toMatchObject({ ok: false, rule: 'training.shard' });
  });

  it('refuses labels of a dtype the graph does not take', () => {
    const rejected = iris((spec) => {
      const shard = spec.dataShards[0];
      if (shard) {
        shard.labels = inlineTensorSpec({ name: 'Y', dtype: 'int32', dims: [120], data: new Uint8Array(480) });
      }
    });
    expect(rejected).toMatchObject({ ok: false, rule: 'training.shard' });
  });

  it('refuses a batch larger than all the data', () => {
    expect(iris((spec) => Object.assign(spec, { batchSize: 500 }))).toMatchObject({
      ok: false,
      rule: 'training.shard',
    });
  });

  it('refuses initial parameters the graph does not declare', () => {
    const rejected = iris((spec) => {
      spec.initialParams.push(inlineTensorSpec({ name: 'W9', dtype: 'float32', dims: [1], data: new Uint8Array(4) }));
    });
    expect(rejected).toMatchObject({ ok: false, rule: 'training.graph_io' });
  });
});
