import { describe, expect, it } from 'vitest';
import type { SchedulerDecision } from '../scheduler/decision.ts';
import { decideWith, signalsWith } from '../scheduler/test-fixtures.ts';
import { allowedCpuThreads, mayStartJob, mustPreempt, wakesLoop } from './job-admission.ts';

function decision(patch: Partial<SchedulerDecision>): SchedulerDecision {
  return {
    state: 'earning',
    cause: 'idle',
    reason: 'Earning',
    devices: [{ id: 'cpu', kind: 'cpu', maxThreads: null }],
    acceptsNewJobs: true,
    override: null,
    nextCheckAt: 0,
    ...patch,
  };
}

describe('job admission', () => {
  it('gives all threads without a limit, and the limit otherwise', () => {
    expect(allowedCpuThreads(decision({}), 8)).toBe(8);
    expect(allowedCpuThreads(decision({ devices: [{ id: 'cpu', kind: 'cpu', maxThreads: 2 }] }), 8)).toBe(2);
    expect(allowedCpuThreads(decision({ devices: [{ id: 'cpu', kind: 'cpu', maxThreads: 64 }] }), 8)).toBe(8);
  });

  it('allows no CPU job when only a GPU is allowed, or nothing', () => {
    expect(allowedCpuThreads(decision({ devices: [{ id: 'gpu:0', kind: 'gpu', maxThreads: null }] }), 8)).toBe(0);
    expect(mayStartJob(decision({ devices: [] }))).toBe(false);
  });

  it('starts no new job while finishing the last one', () => {
    expect(mayStartJob(decision({ acceptsNewJobs: false }))).toBe(false);
    expect(mayStartJob(decision({}))).toBe(true);
  });

  it('preempts when the CPU is taken away or shrinks below what the job uses', () => {
    expect(mustPreempt(decision({ devices: [], state: 'waiting' }), 2)).toBe(true);
    expect(mustPreempt(decision({ devices: [{ id: 'cpu', kind: 'cpu', maxThreads: 1 }] }), 2)).toBe(true);
    expect(mustPreempt(decision({ devices: [{ id: 'cpu', kind: 'cpu', maxThreads: 2 }] }), 2)).toBe(false);
    // Finishing the last job keeps its devices: no preemption.
    expect(mustPreempt(decision({ acceptsNewJobs: false }), 1)).toBe(false);
  });

  it('a benchmark starting preempts the running job and lets none start until it ends', () => {
    const benchmarking = decideWith({ signals: signalsWith({ isBenchmarking: true, isJobRunning: true }) }).decision;
    expect(benchmarking.state).toBe('benchmarking');
    expect(mustPreempt(benchmarking, 1)).toBe(true);
    expect(mayStartJob(benchmarking)).toBe(false);
    const after = decideWith({ signals: signalsWith({ isBenchmarking: false }) }).decision;
    expect(mayStartJob(after)).toBe(true);
  });

  it('wakes the loop only when it waits for the machine and the machine becomes free', () => {
    // Regression: every 100 ms shell report woke the loop, cutting each backoff and retry-after short, so an
    // agent hammered a coordinator that was down (the chaos run saw steps 100 ms apart under a 2 s backoff).
    const earning = decision({});
    expect(wakesLoop(earning, { isJobRunning: false, waitsForDecision: false })).toBe(false);
    expect(wakesLoop(earning, { isJobRunning: false, waitsForDecision: true })).toBe(true);
    expect(wakesLoop(earning, { isJobRunning: true, waitsForDecision: true })).toBe(false);
    expect(wakesLoop(decision({ acceptsNewJobs: false }), { isJobRunning: false, waitsForDecision: true })).toBe(false);
  });
});
