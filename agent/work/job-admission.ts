/**
 * What the scheduler's decision means for the work side: whether a new job
 * may start, with how many CPU threads, and whether a running job must stop
 * at once. Pure, so the rules are tested without processes.
 */
import os from 'node:os';
import type { SchedulerDecision } from '../scheduler/decision.ts';

/** The provider runs CPU jobs; a GPU in the decision does not make one allowed. */
export function allowedCpuThreads(decision: SchedulerDecision, machineThreads = os.availableParallelism()): number {
  const cpu = decision.devices.find((device) => device.kind === 'cpu');
  if (cpu === undefined) return 0;
  return Math.max(1, Math.min(machineThreads, cpu.maxThreads ?? machineThreads));
}

export function mayStartJob(decision: SchedulerDecision): boolean {
  return decision.acceptsNewJobs && allowedCpuThreads(decision) > 0;
}

/**
 * A running job stops the moment its device is no longer allowed: the owner
 * came back, the battery took over, it got too hot. Fewer threads than the job
 * started with also stops it, since a running session cannot shrink.
 */
export function mustPreempt(decision: SchedulerDecision, runningThreads: number): boolean {
  const threads = allowedCpuThreads(decision);
  return threads === 0 || threads < runningThreads;
}

/**
 * Whether a decision should wake the provider loop early: only when it sleeps
 * because the decision forbade new jobs and this one allows them. The shell
 * reports (and the scheduler re-decides) every 100 ms while earning, so waking
 * on every allowing decision would cut short each backoff and retry-after and
 * hammer a coordinator that is down or has no work.
 */
export function wakesLoop(
  decision: SchedulerDecision,
  loop: { isJobRunning: boolean; waitsForDecision: boolean },
): boolean {
  return !loop.isJobRunning && loop.waitsForDecision && mayStartJob(decision);
}
