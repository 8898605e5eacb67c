import { describe, expect, it } from 'vitest';
import { signalFromWrapperCode, workerEndError } from './worker-failure.ts';

const context = { memoryLimitBytes: 2 * 1024 ** 3, isWrappedByBwrap: false };

describe('worker end errors', () => {
  it('tells an out-of-memory abort from a crash by what the worker printed', () => {
    const oom = workerEndError(
      { kind: 'exited', exitCode: 134, signal: null, output: 'FATAL ERROR: JavaScript heap out of memory' },
      context,
    );
    expect(oom?.code).toBe('worker.out_of_memory');
    expect(oom?.message).toMatch(/2\.0 GB/);
    const crash = workerEndError({ kind: 'exited', exitCode: null, signal: 'SIGSEGV', output: '' }, context);
    expect(crash?.code).toBe('worker.crashed');
    expect(crash?.message).toMatch(/SIGSEGV/);
  });

  it('reads a signal death through bubblewrap from its 128 + signal exit code', () => {
    expect(signalFromWrapperCode(137)).toBe('SIGKILL');
    expect(signalFromWrapperCode(1)).toBeNull();
    const killed = workerEndError(
      { kind: 'exited', exitCode: 137, signal: null, output: '' },
      { ...context, isWrappedByBwrap: true },
    );
    expect(killed?.code).toBe('worker.out_of_memory');
  });

  it('has no error for a worker closed on purpose, and a user-facing one for each other end', () => {
    expect(workerEndError({ kind: 'closed' }, context)).toBeNull();
    expect(workerEndError({ kind: 'preempted' }, context)?.code).toBe('worker.preempted');
    expect(workerEndError({ kind: 'timeout', phase: 'load', limitMs: 30_000 }, context)).toMatchObject({
      code: 'worker.session_create_timeout',
      message: expect.stringMatching(/session-creation limit of 30 s/),
    });
    expect(workerEndError({ kind: 'timeout', phase: 'run', limitMs: 250 }, context)).toMatchObject({
      code: 'worker.timeout',
      message: expect.stringMatching(/A run of the job took longer than its limit of 250 ms/),
    });
    expect(workerEndError({ kind: 'timeout', phase: 'start', limitMs: 500 }, context)?.code).toBe(
      'worker.start_failed',
    );
  });
});
