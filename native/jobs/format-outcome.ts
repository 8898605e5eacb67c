/**
 * A job's outcome in a few lines for people (`idlehive run-job`): what ran,
 * where, how long, the digest verifiers compare, and a glimpse of the values.
 */
import { typedArrayFromBytes } from '../worker/tensor-payload.ts';
import type { JobOutcome } from './job-outcome.ts';
import type { TensorSpec } from './job-spec.ts';

const PREVIEW_VALUES = 6;

function preview(tensor: TensorSpec): string {
  const shape = `${tensor.name} ${tensor.dtype} [${tensor.dims.join(', ')}]`;
  if (tensor.data.kind !== 'inline') return shape;
  const values = Array.from(
    typedArrayFromBytes(tensor.dtype, Buffer.from(tensor.data.base64, 'base64')) as ArrayLike<number | bigint>,
  );
  const shown = values
    .slice(0, PREVIEW_VALUES)
    .map((value) => (typeof value === 'number' ? Number(value.toPrecision(5)) : value));
  return `${shape}: ${shown.join(', ')}${values.length > PREVIEW_VALUES ? ', …' : ''}`;
}

export function formatJobOutcome(outcome: JobOutcome): string {
  switch (outcome.status) {
    case 'rejected':
      return `Refused (${outcome.rule}): ${outcome.message}`;
    case 'failed':
      return `Failed (${outcome.code}): ${outcome.message}`;
    case 'preempted':
      return outcome.checkpointStep === null
        ? 'Preempted before a checkpoint; the job starts over when it runs again.'
        : `Preempted; the job resumes after step ${outcome.checkpointStep} when it runs again.`;
    case 'completed': {
      const { result } = outcome;
      if (result.kind === 'inference') {
        return [
          `Job ${result.jobId} completed on ${result.executionProvider}: ${result.stats.runs} runs in ${result.stats.totalRunMs.toFixed(1)} ms (session created in ${result.stats.sessionCreateMs.toFixed(0)} ms).`,
          `Outputs SHA-256: ${result.outputSha256}`,
          ...(result.outputs[0] ?? []).map((tensor) => `  run 1 ${preview(tensor)}`),
        ].join('\n');
      }
      const first = result.losses[0];
      const last = result.losses.at(-1);
      const resumed = result.resumedFromStep === null ? '' : ` (resumed after step ${result.resumedFromStep})`;
      return [
        `Job ${result.jobId} trained ${result.stepsCompleted} steps on ${result.executionProvider}${resumed}.`,
        first && last
          ? `Loss: ${first.loss.toPrecision(4)} at step ${first.step} -> ${last.loss.toPrecision(4)} at step ${last.step}`
          : 'Loss: none recorded',
        `Parameters SHA-256: ${result.paramsSha256}`,
        ...result.finalParams.map((tensor) => `  ${preview(tensor)}`),
      ].join('\n');
    }
  }
}
