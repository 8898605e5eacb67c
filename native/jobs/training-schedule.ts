/**
 * The pure functions a training step loop needs to be replayable: the
 * learning rate of each step and the rows of each batch, both functions of
 * (spec, step) alone. A run resumed from a checkpoint at step k therefore
 * sees exactly the batches and rates an uninterrupted run sees after step k.
 * Steps are numbered from 1.
 */
import { seededRandom } from '../onnx/seeded-random.ts';
import type { LearningRateSchedule } from './job-spec.ts';

export function learningRateAt(schedule: LearningRateSchedule, step: number, totalSteps: number): number {
  switch (schedule.kind) {
    case 'constant':
      return schedule.value;
    case 'step':
      return schedule.initial * schedule.factor ** Math.floor((step - 1) / schedule.everySteps);
    case 'cosine': {
      if (step <= schedule.warmupSteps) return (schedule.initial * step) / schedule.warmupSteps;
      const decaySteps = Math.max(1, totalSteps - schedule.warmupSteps);
      const progress = Math.min(1, (step - schedule.warmupSteps) / decaySteps);
      return schedule.minimum + 0.5 * (schedule.initial - schedule.minimum) * (1 + Math.cos(Math.PI * progress));
    }
  }
}

/**
 * Batches walk through an endless stream of epochs, each a fresh seeded
 * permutation of all rows; step s takes stream positions
 * [(s-1) * batchSize, s * batchSize). Every row is seen once per epoch and a
 * batch may straddle two epochs, so all batches have the same size.
 */
export class BatchSampler {
  readonly seed: number;
  readonly totalRows: number;
  readonly batchSize: number;
  readonly #epochs = new Map<number, number[]>();

  constructor(seed: number, totalRows: number, batchSize: number) {
    if (totalRows < 1 || batchSize < 1) throw new RangeError('a batch sampler needs rows and a batch size');
    this.seed = seed;
    this.totalRows = totalRows;
    this.batchSize = batchSize;
  }

  #permutation(epoch: number): number[] {
    let order = this.#epochs.get(epoch);
    if (!order) {
      // Mix the epoch into the seed with an odd constant so neighbouring epochs differ completely.
      order = seededRandom((this.seed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0).permutation(this.totalRows);
      this.#epochs.set(epoch, order);
      // Steps move forward, so only the newest two epochs are ever needed again.
      for (const kept of this.#epochs.keys()) if (kept < epoch - 1) this.#epochs.delete(kept);
    }
    return order;
  }

  /** Row indices (into the concatenated shards) of the batch of this step. */
  rowsForStep(step: number): number[] {
    if (!Number.isInteger(step) || step < 1) throw new RangeError('steps are numbered from 1');
    const rows: number[] = [];
    const start = (step - 1) * this.batchSize;
    for (let position = start; position < start + this.batchSize; position++) {
      const epoch = Math.floor(position / this.totalRows);
      rows.push(this.#permutation(epoch)[position % this.totalRows] as number);
    }
    return rows;
  }
}
