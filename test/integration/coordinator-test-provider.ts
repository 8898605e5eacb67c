/**
 * One lease run the way a provider runs it, through the real compute path:
 * fetch the blobs (hash-checked), run the job in the sandboxed worker
 * (native/jobs/start-job.ts), and submit. Training records every checkpoint
 * the run saves so they can travel with the result; a checkpoint-segment
 * audit resumes from the lease's start state and reports the state at the
 * segment's end. A dishonest provider changes its outputs before submitting.
 *
 * This is a test's provider, not the agent: no scheduling, no outbox, no
 * retries. The agent's loop does the same steps durably.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryBlobStore } from '../../native/jobs/blob-ref.ts';
import { CheckpointStore } from '../../native/jobs/checkpoint-store.ts';
import type { TrainingCheckpoint } from '../../native/jobs/job-spec.ts';
import { startJob } from '../../native/jobs/start-job.ts';
import type { ProviderClient } from '../../network/client/provider-client.ts';
import { encodeCheckpoint, readCheckpoint } from '../../network/jobs/checkpoint-state.ts';
import { specBlobs } from '../../network/jobs/job-spec-view.ts';
import type { OutputGroups } from '../../network/jobs/tensors.ts';
import type { Lease, SubmitResultResponse } from '../../network/wire/leases.ts';
import { tampered } from './coordinator-fixtures.ts';

/** Keeps every checkpoint a training run saves, in order, besides the resumable one on disk. */
class RecordingCheckpointStore extends CheckpointStore {
  readonly saved: TrainingCheckpoint[] = [];

  override save(checkpoint: TrainingCheckpoint): void {
    super.save(checkpoint);
    this.saved.push(checkpoint);
  }
}

export async function runLease(
  client: ProviderClient,
  lease: Lease,
  options: { dishonest?: boolean } = {},
): Promise<SubmitResultResponse> {
  const blobs = new MemoryBlobStore();
  for (const ref of [...specBlobs(lease.spec), ...(lease.segment?.startState ? [lease.segment.startState] : [])]) {
    blobs.put(await client.fetchBlob(ref));
  }
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-test-provider-'));
  try {
    const checkpoints = new RecordingCheckpointStore(directory);
    if (lease.segment?.startState) {
      const start = readCheckpoint(blobs.get(lease.segment.startState.sha256) as Uint8Array, lease.segment.fromStep);
      if (!start.ok) throw new Error(`the audit start state is unusable: ${start.reason}`);
      checkpoints.save(start.checkpoint);
      checkpoints.saved.length = 0;
    }
    const startedAt = performance.now();
    const outcome = await startJob(lease.spec, { blobs, checkpoints, threads: 1 }).outcome;
    const deviceMs = Math.round(performance.now() - startedAt);
    if (outcome.status !== 'completed') throw new Error(`the job did not complete: ${JSON.stringify(outcome)}`);
    const { result } = outcome;
    let outputs: OutputGroups;
    let saved: TrainingCheckpoint[] = [];
    if (result.kind === 'inference') {
      outputs = result.outputs as OutputGroups;
    } else if (lease.segment) {
      const end = checkpoints.saved.find((checkpoint) => checkpoint.step === lease.segment?.toStep);
      if (!end) throw new Error(`the run saved no checkpoint at step ${lease.segment.toStep}`);
      saved = [end];
      outputs = [end.params as OutputGroups[number]];
    } else {
      saved = checkpoints.saved;
      outputs = [result.finalParams as OutputGroups[number]];
    }
    if (options.dishonest) {
      outputs = tampered(outputs);
      saved = saved.map((checkpoint) => ({
        ...checkpoint,
        params: tampered([checkpoint.params as OutputGroups[number]])[0] ?? [],
      }));
    }
    return client.submit(lease.leaseId, {
      outputs,
      appVersion: result.appVersion,
      onnxruntimeVersion: result.onnxruntimeVersion,
      executionProvider: result.executionProvider,
      deviceMs,
      checkpoints: saved.map((checkpoint) => ({ step: checkpoint.step, bytes: encodeCheckpoint(checkpoint) })),
    });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
