/**
 * The jobs this machine has accepted, run one at a time. preempt() kills the
 * running job's worker at once (onnxruntime cannot cancel a run) and puts the
 * job back at the head of the queue; a preempted training job resumes from
 * its last checkpoint when it runs again. The queue holds while paused, so the
 * scheduler decides when work may start again.
 */
import type { JobOutcome } from './job-outcome.ts';
import { type JobContext, type JobExecution, startJob } from './start-job.ts';

export interface QueuedJob {
  readonly id: string;
  readonly spec: unknown;
  /** How many times this job was preempted so far. */
  readonly preemptions: number;
}

export interface FinishedJob {
  readonly job: QueuedJob;
  /** Anything but 'preempted': a preempted job goes back to the queue instead. */
  readonly outcome: Exclude<JobOutcome, { status: 'preempted' }>;
}

export interface LocalJobQueueOptions {
  readonly context: JobContext;
  readonly onFinished: (finished: FinishedJob) => void;
}

export class LocalJobQueue {
  readonly #options: LocalJobQueueOptions;
  readonly #waiting: QueuedJob[] = [];
  #running: { job: QueuedJob; execution: JobExecution; done: Promise<void> } | null = null;
  #isPaused = false;

  constructor(options: LocalJobQueueOptions) {
    this.#options = options;
  }

  get waiting(): readonly QueuedJob[] {
    return [...this.#waiting];
  }

  get running(): QueuedJob | null {
    return this.#running?.job ?? null;
  }

  enqueue(id: string, spec: unknown): void {
    this.#waiting.push({ id, spec, preemptions: 0 });
    this.#next();
  }

  /** Lets queued jobs start again. */
  resume(): void {
    this.#isPaused = false;
    this.#next();
  }

  /**
   * Stops work now: the running job's worker is killed and the job requeued
   * first in line; nothing starts until resume(). Resolves once the worker is gone.
   */
  async preempt(): Promise<void> {
    this.#isPaused = true;
    const running = this.#running;
    if (running === null) return;
    await running.execution.preempt();
    await running.done;
  }

  /** Resolves when nothing runs and nothing waits (or the queue is paused). */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running.done;
  }

  #next(): void {
    if (this.#isPaused || this.#running !== null) return;
    const job = this.#waiting.shift();
    if (job === undefined) return;
    const execution = startJob(job.spec, this.#options.context);
    const done = execution.outcome.then((outcome) => {
      this.#running = null;
      if (outcome.status === 'preempted') this.#waiting.unshift({ ...job, preemptions: job.preemptions + 1 });
      else this.#options.onFinished({ job, outcome });
      this.#next();
    });
    this.#running = { job, execution, done };
  }
}
