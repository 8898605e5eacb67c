/**
 * How a job ended, as the agent and `run-job` report it. A job is refused
 * before it runs (a named rule), fails while running (a worker error with a
 * user-facing message), is preempted (requeued; training keeps its last
 * checkpoint) or completes with a result.
 */
import type { JobRejectionRule } from './job-rules.ts';
import type { JobResult } from './job-spec.ts';

export type JobOutcome =
  | { readonly status: 'completed'; readonly result: JobResult }
  | { readonly status: 'rejected'; readonly rule: JobRejectionRule; readonly message: string }
  | { readonly status: 'failed'; readonly code: string; readonly message: string }
  /** checkpointStep: the step a resumed training run starts after; null for inference or no checkpoint yet. */
  | { readonly status: 'preempted'; readonly checkpointStep: number | null };

export interface JobProgress {
  readonly jobId: string;
  readonly phase: 'starting' | 'loading' | 'running';
  /** Runs (inference) or steps (training) done, and how many in all. */
  readonly done: number;
  readonly total: number;
}
