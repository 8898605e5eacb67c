/**
 * One leased job, run the way the network expects: its blobs fetched and
 * hash-checked, the job run in a sandboxed worker (native/jobs/start-job.ts),
 * and the result shaped for submission. Training keeps every checkpoint it
 * saves, in memory for the submission and on disk so a preempted run resumes
 * where it stopped. An audit lease (a checkpoint segment) starts from the
 * coordinator's start state and reports the state at the segment's end.
 */
import { MemoryBlobStore } from '../../native/jobs/blob-ref.ts';
import { CheckpointStore } from '../../native/jobs/checkpoint-store.ts';
import type { JobProgress } from '../../native/jobs/job-outcome.ts';
import type { JobResult, TrainingCheckpoint } from '../../native/jobs/job-spec.ts';
import { startJob } from '../../native/jobs/start-job.ts';
import type { ResultToSubmit } from '../../network/client/provider-client.ts';
import { encodeCheckpoint, readCheckpoint } from '../../network/jobs/checkpoint-state.ts';
import type { OutputGroups } from '../../network/jobs/tensors.ts';
import type { Lease } from '../../network/wire/leases.ts';
import { IdlehiveError } from '../errors.ts';

/** Keeps each checkpoint a run saves, in order, besides the resumable one on disk. */
export class RecordingCheckpointStore extends CheckpointStore {
  readonly saved: TrainingCheckpoint[] = [];

  override save(checkpoint: TrainingCheckpoint): void {
    super.save(checkpoint);
    this.saved.push(checkpoint);
  }
}

export type LeaseRunOutcome =
  | { status: 'completed'; submission: ResultToSubmit }
  | { status: 'preempted'; checkpointStep: number | null }
  | { status: 'failed'; code: string; message: string };

export interface LeaseRun {
  readonly outcome: Promise<LeaseRunOutcome>;
  preempt(): Promise<void>;
  /** From the preempt call until the worker process was gone. */
  readonly preemptMs: number | null;
}

export async function fetchLeaseBlobs(
  lease: Lease,
  fetchBlob: (ref: Lease['blobs'][number]) => Promise<Uint8Array>,
): Promise<MemoryBlobStore> {
  const blobs = new MemoryBlobStore();
  for (const ref of lease.blobs) blobs.put(await fetchBlob(ref));
  return blobs;
}

export interface LeaseRunOptions {
  blobs: MemoryBlobStore;
  checkpoints: RecordingCheckpointStore;
  threads: number;
  onProgress?: (progress: JobProgress) => void;
}

/** Loads the audit's start state once; a resumed audit already has a later checkpoint on disk. */
function seedSegmentStart(lease: Lease, options: LeaseRunOptions): void {
  const segment = lease.segment;
  if (segment?.startState == null || options.checkpoints.load(lease.spec.jobId) !== null) return;
  const bytes = options.blobs.get(segment.startState.sha256);
  if (bytes === undefined) throw new IdlehiveError('lease_blob_missing', 'The audit start state was not fetched.');
  const start = readCheckpoint(bytes, segment.fromStep);
  if (!start.ok) throw new IdlehiveError('lease_start_state', `The audit start state is unusable: ${start.reason}`);
  options.checkpoints.save(start.checkpoint);
  options.checkpoints.saved.length = 0;
}

export function startLeaseRun(lease: Lease, options: LeaseRunOptions): LeaseRun {
  seedSegmentStart(lease, options);
  const startedAt = performance.now();
  const execution = startJob(lease.spec, {
    blobs: options.blobs,
    checkpoints: options.checkpoints,
    threads: options.threads,
    onProgress: options.onProgress,
  });
  const outcome = execution.outcome.then((ended): LeaseRunOutcome => {
    const deviceMs = Math.round(performance.now() - startedAt);
    switch (ended.status) {
      case 'preempted':
        return { status: 'preempted', checkpointStep: ended.checkpointStep };
      case 'rejected':
        return { status: 'failed', code: ended.rule, message: ended.message };
      case 'failed':
        return { status: 'failed', code: ended.code, message: ended.message };
      case 'completed':
        try {
          return { status: 'completed', submission: submissionOf(lease, ended.result, options.checkpoints, deviceMs) };
        } catch (error) {
          const code = error instanceof IdlehiveError ? error.code : 'lease_result';
          return { status: 'failed', code, message: error instanceof Error ? error.message : String(error) };
        }
    }
  });
  return {
    outcome,
    preempt: () => execution.preempt(),
    get preemptMs() {
      return execution.preemptMs;
    },
  };
}

function submissionOf(
  lease: Lease,
  result: JobResult,
  checkpoints: RecordingCheckpointStore,
  deviceMs: number,
): ResultToSubmit {
  let outputs: OutputGroups;
  let saved: TrainingCheckpoint[] = [];
  if (result.kind === 'inference') {
    outputs = result.outputs as OutputGroups;
  } else if (lease.segment) {
    const end = checkpoints.saved.find((checkpoint) => checkpoint.step === lease.segment?.toStep);
    if (!end) {
      throw new IdlehiveError(
        'lease_segment_end',
        `The audit run saved no checkpoint at step ${lease.segment.toStep}.`,
      );
    }
    saved = [end];
    outputs = [end.params as OutputGroups[number]];
  } else {
    saved = checkpoints.saved;
    outputs = [result.finalParams as OutputGroups[number]];
  }
  return {
    outputs,
    appVersion: result.appVersion,
    onnxruntimeVersion: result.onnxruntimeVersion,
    executionProvider: result.executionProvider,
    deviceMs,
    checkpoints: saved.map((checkpoint) => ({ step: checkpoint.step, bytes: encodeCheckpoint(checkpoint) })),
  };
}
