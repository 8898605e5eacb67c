/**
 * Why a worker ended, as the typed error the job fails with. Decided where the
 * cause is known: the supervisor knows when it killed the worker itself
 * (preemption, time limit, a bad reply); otherwise the exit status and the
 * last lines the worker wrote tell a crash from running out of memory.
 */
import os from 'node:os';
import { IdlehiveError } from '../../agent/errors.ts';

export type WorkerPhase = 'start' | 'load' | 'run';

export type WorkerEndCause =
  | { kind: 'preempted' }
  | { kind: 'closed' }
  | { kind: 'timeout'; phase: WorkerPhase; limitMs: number }
  | { kind: 'protocol_violation'; detail: string }
  /** The worker reported that the memory limit refused an allocation; it is stopped, since its state is suspect. */
  | { kind: 'allocation_refused'; detail: string }
  | { kind: 'spawn_failed'; detail: string }
  | { kind: 'channel_failed'; detail: string }
  | { kind: 'exited'; exitCode: number | null; signal: NodeJS.Signals | null; output: string };

export interface FailureContext {
  /** The memory limit applied to the worker, or null when the platform gave none. */
  memoryLimitBytes: number | null;
  /** bubblewrap reports a signal death of the sandboxed process as exit code 128 + signal. */
  isWrappedByBwrap: boolean;
}

/** What the worker printed before a fatal allocation failure (V8, the C++ runtime, onnxruntime). */
const OUT_OF_MEMORY_OUTPUT =
  /JavaScript heap out of memory|Fatal process out of memory|std::bad_alloc|Failed to allocate memory|Cannot allocate memory|Array buffer allocation failed/i;

/** The error a job ends with, or null when the worker ended because it was asked to. */
export function workerEndError(cause: WorkerEndCause, context: FailureContext): IdlehiveError | null {
  switch (cause.kind) {
    case 'closed':
      return null;
    case 'preempted':
      return new IdlehiveError(
        'worker.preempted',
        'The job was stopped because this computer is in use again; it goes back to the queue.',
      );
    case 'timeout':
      return timeoutError(cause.phase, cause.limitMs);
    case 'protocol_violation':
      return new IdlehiveError(
        'worker.protocol_violation',
        'The job was stopped because its worker sent a message Idlehive does not accept.',
        { cause: cause.detail },
      );
    case 'allocation_refused':
      return outOfMemoryError(context.memoryLimitBytes, cause.detail);
    case 'channel_failed':
      return new IdlehiveError(
        'worker.crashed',
        "The job's worker stopped answering (its message channel broke); the job was stopped and Idlehive keeps running.",
        { cause: cause.detail },
      );
    case 'spawn_failed':
      return new IdlehiveError('worker.start_failed', `The sandboxed worker could not start: ${cause.detail}.`);
    case 'exited':
      return exitError(cause, context);
  }
}

function timeoutError(phase: WorkerPhase, limitMs: number): IdlehiveError {
  const limit = formatSeconds(limitMs);
  if (phase === 'start') {
    return new IdlehiveError(
      'worker.start_failed',
      `The sandboxed worker did not start within ${limit}; the computer may be very busy. Idlehive will try again.`,
    );
  }
  if (phase === 'load') {
    // Its own code: a model that takes long to load (nested If nodes, constant folding) is a load bomb, not a slow run.
    return new IdlehiveError(
      'worker.session_create_timeout',
      `Creating the session for the job's model took longer than its session-creation limit of ${limit}, so the job was stopped.`,
    );
  }
  return new IdlehiveError(
    'worker.timeout',
    `A run of the job took longer than its limit of ${limit}, so the job was stopped.`,
  );
}

function outOfMemoryError(memoryLimitBytes: number | null, detail: string): IdlehiveError {
  const limit = memoryLimitBytes === null ? '' : ` of ${(memoryLimitBytes / 1024 ** 3).toFixed(1)} GB`;
  return new IdlehiveError(
    'worker.out_of_memory',
    `The job needed more memory than its limit${limit}, so it was stopped.`,
    {
      cause: detail,
    },
  );
}

function exitError(cause: Extract<WorkerEndCause, { kind: 'exited' }>, context: FailureContext): IdlehiveError {
  const signal = cause.signal ?? (context.isWrappedByBwrap ? signalFromWrapperCode(cause.exitCode) : null);
  const details = { exitCode: cause.exitCode, signal, output: cause.output };
  if (OUT_OF_MEMORY_OUTPUT.test(cause.output)) return outOfMemoryError(context.memoryLimitBytes, cause.output);
  if (signal === 'SIGKILL') {
    // Idlehive sends SIGKILL only through preempt/close/time limits, which never land here.
    return new IdlehiveError(
      'worker.out_of_memory',
      "The job's worker was killed by the operating system, most likely because the computer ran out of memory.",
      { cause: details },
    );
  }
  const how = signal !== null ? `signal ${signal}` : `exit code ${cause.exitCode}`;
  return new IdlehiveError(
    'worker.crashed',
    `The job's worker process crashed (${how}); the job was stopped and Idlehive keeps running.`,
    { cause: details },
  );
}

export function signalFromWrapperCode(exitCode: number | null): NodeJS.Signals | null {
  if (exitCode === null || exitCode <= 128) return null;
  const number = exitCode - 128;
  for (const [name, value] of Object.entries(os.constants.signals)) {
    if (value === number) return name as NodeJS.Signals;
  }
  return null;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
