/**
 * Training checkpoints in the agent's home, one file per job. A write goes to
 * a temporary file that is fsynced and renamed over the old one, so a crash or
 * a SIGKILL at any moment leaves either the previous checkpoint or the new
 * one; a file that fails its schema or its digest is treated as absent (the
 * job restarts from step 0 rather than from corrupt state).
 */
import fs from 'node:fs';
import path from 'node:path';
import { canonicalTensorDigest } from './canonical-tensors.ts';
import { type TrainingCheckpoint, TrainingCheckpointSchema } from './job-spec.ts';
import { decodeTensorSpec } from './tensor-bytes.ts';

const NO_BLOBS = { get: () => undefined };

export function checkpointDigest(checkpoint: Pick<TrainingCheckpoint, 'params' | 'optimizerState'>): string {
  const decode = (specs: TrainingCheckpoint['params']) =>
    specs.map((spec) => {
      const tensor = decodeTensorSpec(spec, NO_BLOBS);
      if ('ok' in tensor) throw new RangeError(tensor.message);
      return tensor;
    });
  return canonicalTensorDigest([decode(checkpoint.params), decode(checkpoint.optimizerState)]);
}

export class CheckpointStore {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  #file(jobId: string): string {
    // Job ids are [A-Za-z0-9._:-]; ':' is not portable in file names.
    return path.join(this.directory, `${jobId.replaceAll(':', '_')}.checkpoint.json`);
  }

  save(checkpoint: TrainingCheckpoint): void {
    fs.mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    const target = this.#file(checkpoint.jobId);
    const temporary = `${target}.tmp`;
    const fd = fs.openSync(temporary, 'w', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(checkpoint));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, target);
  }

  /** The job's last good checkpoint, or null when there is none (or it is torn or tampered with). */
  load(jobId: string): TrainingCheckpoint | null {
    let text: string;
    try {
      text = fs.readFileSync(this.#file(jobId), 'utf8');
    } catch {
      return null;
    }
    try {
      const parsed = TrainingCheckpointSchema.safeParse(JSON.parse(text));
      if (!parsed.success || parsed.data.jobId !== jobId) return null;
      return checkpointDigest(parsed.data) === parsed.data.stateSha256 ? parsed.data : null;
    } catch {
      return null;
    }
  }

  remove(jobId: string): void {
    fs.rmSync(this.#file(jobId), { force: true });
  }
}
