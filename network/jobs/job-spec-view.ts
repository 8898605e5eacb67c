/**
 * The narrow view of a job spec the network needs: which blobs it references,
 * which devices can run it, how long a run may take, which outputs it returns
 * and where a training run's checkpoints fall. The spec itself is the
 * compute contract (native/jobs/job-spec.ts), imported, never copied; the
 * coordinator reads specs through these functions only, so a change of the
 * spec touches this file and nothing else in network/.
 */
import type { BlobRef } from '../../native/jobs/blob-ref.ts';
import {
  type InferenceJobSpec,
  type JobSpec,
  JobSpecSchema,
  type TensorSpec,
  type TrainingJobSpec,
} from '../../native/jobs/job-spec.ts';
import type { ExecutionProvider } from '../../native/worker/session-options.ts';

export type { ExecutionProvider, InferenceJobSpec, JobSpec, TensorSpec, TrainingJobSpec };
export { JobSpecSchema };

function blobsOfTensors(tensors: readonly TensorSpec[]): BlobRef[] {
  return tensors.flatMap((tensor) => (tensor.data.kind === 'blob' ? [tensor.data.blob] : []));
}

/** Every blob a run needs, each once, the model first. */
export function specBlobs(spec: JobSpec): BlobRef[] {
  const all =
    spec.kind === 'inference'
      ? [spec.model, ...spec.feeds.flatMap(blobsOfTensors)]
      : [
          spec.trainStep,
          ...blobsOfTensors(spec.initialParams),
          ...spec.dataShards.flatMap((shard) => blobsOfTensors([shard.features, shard.labels])),
        ];
  const seen = new Set<string>();
  return all.filter((blob) => {
    if (seen.has(blob.sha256)) return false;
    seen.add(blob.sha256);
    return true;
  });
}

export interface SpecRequirements {
  executionProviders: readonly ExecutionProvider[];
  maxMemoryBytes: number;
}

export function specRequirements(spec: JobSpec): SpecRequirements {
  return { executionProviders: spec.executionProviders, maxMemoryBytes: spec.limits.maxMemoryMb * 1024 * 1024 };
}

/** The longest one full run may take under the spec's own limits: session creation plus every run or step. */
export function runTimeLimitMs(spec: JobSpec): number {
  const runs = spec.kind === 'inference' ? spec.feeds.length : spec.steps;
  return spec.limits.maxSessionCreateMs + runs * spec.limits.maxRunMs;
}

/** The names of the tensors one output group holds, in order (training: the trained parameters). */
export function outputNames(spec: JobSpec): string[] {
  return spec.kind === 'inference' ? [...spec.outputs] : spec.initialParams.map((tensor) => tensor.name);
}

/** How many output groups a result holds: one per feed for inference, one (the final parameters) for training. */
export function outputGroupCount(spec: JobSpec): number {
  return spec.kind === 'inference' ? spec.feeds.length : 1;
}

/** The steps at which a training run reports a checkpoint: every interval, and always the last step. */
export function checkpointSteps(spec: Pick<TrainingJobSpec, 'steps' | 'checkpointInterval'>): number[] {
  const steps: number[] = [];
  for (let step = spec.checkpointInterval; step < spec.steps; step += spec.checkpointInterval) steps.push(step);
  steps.push(spec.steps);
  return steps;
}

/** How many steps a run performs (an inference run counts as one). */
export function specStepCount(spec: JobSpec): number {
  return spec.kind === 'training' ? spec.steps : 1;
}
