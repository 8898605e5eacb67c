/**
 * What confines jobs on this machine, in data and in sentences the UI shows
 * verbatim. Built from the same plan the worker is launched with, so it can
 * only say what is really applied.
 */
import { z } from 'zod';
import { TENSOR_RING_BYTES } from '../worker/tensor-ring.ts';
import type { IsolationPlan } from './isolation-plan.ts';
import type { WorkerRuntime } from './worker-runtime.ts';

export const IsolationReportSchema = z.strictObject({
  platform: z.string(),
  runtime: z.strictObject({
    nodePath: z.string(),
    source: z.enum(['configured', 'current-node', 'app-resources', 'path']),
    /** Why this is not the runtime the app should use (its own Node is missing); null when it is. */
    note: z.string().nullable(),
  }),
  /** Node's permission model: no file writes, no child processes, no worker threads, reads from an allowlist. */
  permissionModel: z.strictObject({ active: z.literal(true), readPaths: z.array(z.string()) }),
  /** Whether the native ONNX runtime is confined too (only bubblewrap's view does that). */
  nativeCodeConfined: z.boolean(),
  network: z.strictObject({
    isolated: z.boolean(),
    method: z.enum(['bwrap', 'unshare', 'none']),
    reason: z.string().nullable(),
  }),
  memoryLimit: z.strictObject({
    applied: z.boolean(),
    method: z.enum(['prlimit', 'ulimit', 'none']),
    bytes: z.number().int().positive().nullable(),
    reason: z.string().nullable(),
  }),
  privilegeDrop: z.strictObject({
    applied: z.boolean(),
    method: z.enum(['bwrap', 'setpriv', 'none']),
    reason: z.string().nullable(),
  }),
  /**
   * Tensors cross through two unlinked memory files (native/worker/tensor-ring.ts); the
   * output one is the only file the worker can write, bounded by RLIMIT_FSIZE. Otherwise inline over IPC.
   * sharedMemory: the files are sealed memory files that both sides map (native/worker/shared-memory.ts).
   */
  tensorRings: z.strictObject({
    active: z.boolean(),
    bytesEach: z.number().int().positive().nullable(),
    sharedMemory: z.boolean(),
  }),
  /** The names of every variable in the worker's environment (Node adds NODE_CHANNEL_* for IPC). */
  environment: z.array(z.string()),
  statusLines: z.array(z.string().min(1)).min(1),
});
export type IsolationReport = z.infer<typeof IsolationReportSchema>;

export interface IsolationReportInput {
  plan: IsolationPlan;
  runtime: WorkerRuntime;
  readPaths: readonly string[];
  environment: Readonly<Record<string, string>>;
  memoryLimitBytes: number;
  /** Whether workers get tensor rings here (an rlimit method and a memory file system). */
  tensorRings: boolean;
  /** Whether the rings are sealed memory files mapped by both sides (the shared-memory addon loaded). */
  sharedMemory: boolean;
}

export function buildIsolationReport(input: IsolationReportInput): IsolationReport {
  const { plan } = input;
  const namespace = plan.namespace;
  const isNetworkIsolated = namespace.kind !== 'none';
  const memory = plan.memoryLimit;
  const privilegeMethod = namespace.kind === 'bwrap' ? 'bwrap' : plan.privilegeDrop.kind;
  const report: Omit<IsolationReport, 'statusLines'> = {
    platform: plan.platform,
    runtime: { nodePath: input.runtime.nodePath, source: input.runtime.source, note: input.runtime.note },
    permissionModel: { active: true, readPaths: [...input.readPaths] },
    nativeCodeConfined: namespace.kind === 'bwrap',
    network: {
      isolated: isNetworkIsolated,
      method: namespace.kind,
      reason: namespace.kind === 'none' ? namespace.reason : null,
    },
    memoryLimit: {
      applied: memory.kind !== 'none',
      method: memory.kind,
      bytes: memory.kind === 'none' ? null : input.memoryLimitBytes,
      reason: memory.kind === 'none' ? memory.reason : null,
    },
    privilegeDrop: {
      applied: privilegeMethod !== 'none',
      method: privilegeMethod,
      reason: namespace.kind !== 'bwrap' && plan.privilegeDrop.kind === 'none' ? plan.privilegeDrop.reason : null,
    },
    tensorRings: {
      active: input.tensorRings,
      bytesEach: input.tensorRings ? TENSOR_RING_BYTES : null,
      sharedMemory: input.tensorRings && input.sharedMemory,
    },
    // bubblewrap adds PWD (set to / by the launch command) to what it was given.
    environment: [...Object.keys(input.environment), ...(namespace.kind === 'bwrap' ? ['PWD'] : [])].sort(),
  };
  return IsolationReportSchema.parse({ ...report, statusLines: isolationStatusLines(report) });
}

/** The sentences the UI shows, one per line, most important first. */
export function isolationStatusLines(report: Omit<IsolationReport, 'statusLines'>): string[] {
  const lines: string[] = [];
  if (report.runtime.note !== null) lines.push(report.runtime.note);
  if (report.network.isolated) {
    const how = report.network.method === 'bwrap' ? 'bubblewrap' : 'a network namespace';
    lines.push(`Jobs run with no file writes, no child processes and no network (${how}).`);
  } else {
    lines.push(
      `Jobs run with no file writes and no child processes; network isolation unavailable on this system: ${report.network.reason}.`,
    );
  }
  if (report.nativeCodeConfined) {
    lines.push('Jobs see only the files Idlehive needs to run them, read-only; your own files are not there.');
  } else {
    lines.push(
      "Job code may read only Idlehive's own files, but the ONNX runtime's native code is outside Node's permission model; installing bubblewrap confines it too.",
    );
  }
  if (report.memoryLimit.applied && report.memoryLimit.bytes !== null) {
    lines.push(`Each job's memory is capped at ${formatGigabytes(report.memoryLimit.bytes)} (Linux resource limit).`);
  } else {
    lines.push(
      `Memory limit unavailable on this system: ${report.memoryLimit.reason}; only the JavaScript heap is capped.`,
    );
  }
  if (report.tensorRings.active && report.tensorRings.bytesEach !== null) {
    lines.push(
      `Job data comes and goes through two private in-memory files of ${report.tensorRings.bytesEach / 1024 ** 2} MB${report.tensorRings.sharedMemory ? ', shared with the job and sealed against resizing' : ''}; a job can write only its output file, and never past that size.`,
    );
  }
  lines.push(
    'Jobs start with an empty environment: no passwords, tokens or settings from this computer are passed on.',
  );
  return lines;
}

export function formatGigabytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
