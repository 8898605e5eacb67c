/**
 * The one worker a job runs in, and the switch that preempts it. Preemption
 * may come at any moment, even before the worker has started: the flag is
 * set first, so a worker that comes up after it is killed at once.
 */
import os from 'node:os';
import { IdlehiveError } from '../../agent/errors.ts';
import type { WorkerSandbox } from '../sandbox/worker-sandbox.ts';
import { startWorker, type WorkerHandle } from '../worker/worker-supervisor.ts';

const PREEMPTED = () =>
  new IdlehiveError('worker.preempted', 'The job was stopped because this computer is in use again.');

/**
 * The owner's programs, and the agent that must react to the owner, always
 * come first: the worker runs at the lowest priority (nice 19; the idle class
 * on Windows). Set before the model loads, so onnxruntime's threads, created
 * at session creation, inherit it.
 */
function yieldToTheOwner(pid: number): void {
  try {
    os.setPriority(pid, os.constants.priority.PRIORITY_LOW);
  } catch {
    // Not permitted here (some containers): the job still runs, at normal priority.
  }
}

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
    yieldToTheOwner(handle.pid);
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
