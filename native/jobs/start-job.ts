/**
 * The entry point for running one job on this machine: validate it (nothing
 * reaches a worker before every rule passed), pick its execution provider,
 * run it in its own sandboxed worker, and report how it ended. Every failure
 * of the worker, whatever the job did to it, ends as an outcome; this never
 * throws for anything a job can cause.
 */
import { isIdlehiveError } from '../../agent/errors.ts';
import type { WorkerSandbox } from '../sandbox/worker-sandbox.ts';
import type { ExecutionProvider } from '../worker/session-options.ts';
import type { BlobSource } from './blob-ref.ts';
import type { CheckpointStore } from './checkpoint-store.ts';
import type { JobOutcome, JobProgress } from './job-outcome.ts';
import type { JobRejectionRule } from './job-rules.ts';
import { type JobResult, JobSpecSchema } from './job-spec.ts';
import {
  DEFAULT_JOB_VALIDATION_LIMITS,
  type JobValidationLimits,
  validateInferenceJob,
  validateTrainingJob,
} from './job-validation.ts';
import { JobWorker } from './job-worker.ts';
import { runInferenceJob } from './run-inference-job.ts';
import { runTrainingJob } from './run-training-job.ts';

export interface JobContext {
  readonly blobs: BlobSource;
  readonly checkpoints: CheckpointStore;
  /** Threads the device budget grants this job. */
  readonly threads: number;
  readonly isDutyCycled?: boolean;
  /** Execution providers usable on this machine (from the device probe); cpu when left out. */
  readonly usableProviders?: readonly ExecutionProvider[];
  readonly sandbox?: WorkerSandbox;
  readonly limits?: JobValidationLimits;
  readonly onProgress?: (progress: JobProgress) => void;
}

export interface JobExecution {
  readonly outcome: Promise<JobOutcome>;
  /** Kills the worker at once (SIGKILL); the outcome becomes 'preempted' and training keeps its checkpoint. */
  preempt(): Promise<void>;
  /** From the preempt call until the worker process was gone; null before a preemption of a running worker. */
  readonly preemptMs: number | null;
}

function specKind(raw: unknown): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
}

function rejected(rule: JobRejectionRule, message: string): JobOutcome {
  return { status: 'rejected', rule, message };
}

export function startJob(raw: unknown, context: JobContext): JobExecution {
  const worker = new JobWorker();
  const outcome = runToOutcome(raw, context, worker);
  return {
    outcome,
    preempt: () => worker.preempt(),
    get preemptMs() {
      return worker.preemptMs;
    },
  };
}

function pickProvider(wanted: readonly ExecutionProvider[], context: JobContext): ExecutionProvider | JobOutcome {
  const usable = context.usableProviders ?? ['cpu'];
  const provider = wanted.find((candidate) => usable.includes(candidate));
  if (provider !== undefined) return provider;
  return rejected(
    'job.execution_provider',
    `the job runs on ${wanted.join(', ')}; this machine offers ${usable.join(', ')}.`,
  );
}

async function runToOutcome(raw: unknown, context: JobContext, worker: JobWorker): Promise<JobOutcome> {
  const limits = context.limits ?? DEFAULT_JOB_VALIDATION_LIMITS;
  const settings = (executionProvider: ExecutionProvider) => ({
    threads: context.threads,
    isDutyCycled: context.isDutyCycled ?? false,
    executionProvider,
    ...(context.sandbox ? { sandbox: context.sandbox } : {}),
    ...(context.onProgress ? { onProgress: context.onProgress } : {}),
  });
  const kind = specKind(raw);
  if (kind === 'inference') {
    const validated = validateInferenceJob(raw, context.blobs, limits);
    if (!validated.ok) return rejected(validated.rule, validated.message);
    const provider = pickProvider(validated.job.spec.executionProviders, context);
    if (typeof provider !== 'string') return provider;
    return execute(worker, null, context, () => runInferenceJob(validated.job, worker, settings(provider)));
  }
  if (kind === 'training') {
    const validated = validateTrainingJob(raw, context.blobs, limits);
    if (!validated.ok) return rejected(validated.rule, validated.message);
    const provider = pickProvider(validated.job.spec.executionProviders, context);
    if (typeof provider !== 'string') return provider;
    const trainingSettings = { ...settings(provider), checkpoints: context.checkpoints };
    return execute(worker, validated.job.spec.jobId, context, () =>
      runTrainingJob(validated.job, worker, trainingSettings),
    );
  }
  const parsed = JobSpecSchema.safeParse(raw);
  const issue = parsed.success ? undefined : parsed.error.issues[0];
  return rejected('job.spec', `the job spec is invalid at ${issue?.path.join('.') || 'kind'}: ${issue?.message}.`);
}

async function execute(
  worker: JobWorker,
  trainingJobId: string | null,
  context: JobContext,
  run: () => Promise<JobResult>,
): Promise<JobOutcome> {
  try {
    return { status: 'completed', result: await run() };
  } catch (error) {
    if (worker.isPreempted) {
      const checkpoint = trainingJobId === null ? null : context.checkpoints.load(trainingJobId);
      return { status: 'preempted', checkpointStep: checkpoint?.step ?? null };
    }
    if (isIdlehiveError(error)) return { status: 'failed', code: error.code, message: error.message };
    return { status: 'failed', code: 'job.internal', message: `The job failed unexpectedly: ${String(error)}` };
  } finally {
    await worker.close();
  }
}
