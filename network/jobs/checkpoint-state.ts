/**
 * Training checkpoints travel as blobs holding the compute contract's
 * TrainingCheckpoint as JSON (native/jobs/job-spec.ts), the same object the
 * worker saves to resume. The coordinator reads one back only to audit a
 * training result: the parameters at the checkpoint are the claim that an
 * independent re-run of the segment must reproduce within tolerance.
 */
import { type TrainingCheckpoint, TrainingCheckpointSchema } from '../../native/jobs/job-spec.ts';
import { describeIssues } from '../wire/common.ts';
import { type InlineTensor, InlineTensorSchema } from './tensors.ts';

export type CheckpointRead =
  | { ok: true; checkpoint: TrainingCheckpoint; params: InlineTensor[] }
  | { ok: false; reason: string };

export function encodeCheckpoint(checkpoint: TrainingCheckpoint): Buffer {
  return Buffer.from(JSON.stringify(checkpoint), 'utf8');
}

/** Parses a checkpoint blob and its parameters (which must be inline); says why when it cannot. */
export function readCheckpoint(bytes: Uint8Array, expectedStep: number): CheckpointRead {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { ok: false, reason: 'the checkpoint blob is not JSON' };
  }
  const parsed = TrainingCheckpointSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `the checkpoint is malformed: ${describeIssues(parsed.error)}` };
  if (parsed.data.step !== expectedStep) {
    return { ok: false, reason: `the checkpoint is for step ${parsed.data.step}, not step ${expectedStep}` };
  }
  const params: InlineTensor[] = [];
  for (const tensor of parsed.data.params) {
    const inline = InlineTensorSchema.safeParse(tensor);
    if (!inline.success)
      return { ok: false, reason: `checkpoint parameter "${tensor.name}": ${describeIssues(inline.error)}` };
    params.push(inline.data);
  }
  return { ok: true, checkpoint: parsed.data, params };
}
