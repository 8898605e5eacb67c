/**
 * Everything needed to launch a confined worker, found once per agent run:
 * the Node binary, the read allowlist, the minimal environment and the
 * isolation plan (the probes spawn a few short processes, about 0.2 s in all).
 */
import fs from 'node:fs';
import { loadSharedMemory } from '../worker/shared-memory.ts';
import { TENSOR_RING_DIRECTORY } from '../worker/tensor-ring.ts';
import type { IsolationPlan } from './isolation-plan.ts';
import { type IsolationProbeInput, probeIsolation } from './isolation-probe.ts';
import { buildIsolationReport, type IsolationReport } from './isolation-report.ts';
import { workerEntry } from './worker-entry.ts';
import { workerEnvironment } from './worker-environment.ts';
import { canUseTensorRings } from './worker-launch-command.ts';
import { workerReadPaths } from './worker-read-paths.ts';
import { resolveWorkerRuntime, type WorkerRuntime } from './worker-runtime.ts';

export interface WorkerSandbox {
  runtime: WorkerRuntime;
  plan: IsolationPlan;
  entry: string;
  readPaths: string[];
  env: Record<string, string>;
}

let cached: Promise<WorkerSandbox> | null = null;

/** The sandbox for this machine, probed on first use and then reused. */
export function prepareWorkerSandbox(): Promise<WorkerSandbox> {
  cached ??= probeWorkerSandbox().catch((error: unknown) => {
    // A failed probe (no Node runtime) is retried next time rather than cached.
    cached = null;
    throw error;
  });
  return cached;
}

/** Probes afresh; tests pass tool overrides to force a fallback. */
export async function probeWorkerSandbox(
  overrides: Pick<IsolationProbeInput, 'tools' | 'readSysctl' | 'platform'> = {},
): Promise<WorkerSandbox> {
  const runtime = resolveWorkerRuntime();
  const readPaths = workerReadPaths();
  const plan = await probeIsolation({ nodePath: runtime.nodePath, readPaths, ...overrides });
  return { runtime, plan, entry: await workerEntry(), readPaths, env: workerEnvironment(plan.platform) };
}

export function describeWorkerSandbox(sandbox: WorkerSandbox, memoryLimitBytes: number): IsolationReport {
  return buildIsolationReport({
    plan: sandbox.plan,
    runtime: sandbox.runtime,
    readPaths: sandbox.readPaths,
    environment: sandbox.env,
    memoryLimitBytes,
    tensorRings: hasTensorRings(sandbox.plan),
    sharedMemory: loadSharedMemory().addon !== null,
  });
}

/** Whether workers get tensor rings here: the plan can bound them and memory files can hold them. */
export function hasTensorRings(plan: IsolationPlan): boolean {
  return canUseTensorRings(plan) && (loadSharedMemory().addon !== null || fs.existsSync(TENSOR_RING_DIRECTORY));
}
