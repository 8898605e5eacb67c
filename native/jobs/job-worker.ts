/**
 * The one worker a job runs in, and the switch that preempts it. Preemption
 * may come at any moment, even before the worker has started: the flag is
 * set first, so a worker that comes up after it is killed at once.
 */
import { IdlehiveError } from '../../agent/errors.ts';
import type { WorkerSandbox } from '../sandbox/worker-sandbox.ts';
import { startWorker, type WorkerHandle } from '../worker/worker-supervisor.ts';

const PREEMPTED = () =>
  new IdlehiveError('worker.preempted', 'The job was stopped because this computer is in use again.');

export class JobWorker {
  #handle: WorkerHandle | null = null;
  #isPreempted = false;
  #preemptMs: number | null = null;

  get isPreempted(): boolean {
    return this.#isPreempted;
  }

  /** From the preempt call to the process being gone, when a worker was running. */
  get preemptMs(): number | null {
    return this.#preemptMs;
  }

  async start(memoryLimitBytes: number, sandbox: WorkerSandbox | undefined): Promise<WorkerHandle> {
    if (this.#isPreempted) throw PREEMPTED();
    const handle = await startWorker({ memoryLimitBytes, ...(sandbox ? { sandbox } : {}) });
    this.#handle = handle;
    if (this.#isPreempted) {
      await handle.preempt();
      throw PREEMPTED();
    }
    return handle;
  }

  async preempt(): Promise<void> {
    this.#isPreempted = true;
    const handle = this.#handle;
    if (handle?.isRunning) this.#preemptMs = (await handle.preempt()).exitMs;
  }

  async close(): Promise<void> {
    await this.#handle?.close();
  }
}
