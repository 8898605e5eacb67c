/**
 * What the local API says about this computer's devices and its benchmark:
 * the device report with how jobs are isolated, a benchmark run's progress,
 * and how a run ended. Declared here so the contract, the agent and the CLI
 * share one shape.
 */
import { z } from 'zod';
import { BENCHMARK_MODES, BenchmarkReportSchema } from '../../native/benchmark/benchmark-report.ts';
import { WORKLOAD_NAMES } from '../../native/benchmark/workload-names.ts';
import { DeviceReportSchema } from '../../native/devices/device-report.ts';
import { IsolationReportSchema } from '../../native/sandbox/isolation-report.ts';
import { EXECUTION_PROVIDERS } from '../../native/worker/session-options.ts';

const epochMs = z.number().int().nonnegative();

export const BenchmarkModeSchema = z.enum(BENCHMARK_MODES);

export const DevicesViewSchema = z.strictObject({
  devices: DeviceReportSchema,
  /** How jobs are confined here; null when the sandbox could not be probed (no Node runtime for the worker). */
  isolation: IsolationReportSchema.nullable(),
  probedAt: epochMs,
});
export type DevicesView = z.infer<typeof DevicesViewSchema>;

export const BenchmarkStartedSchema = z.strictObject({
  mode: BenchmarkModeSchema,
  startedAt: epochMs,
});
export type BenchmarkStarted = z.infer<typeof BenchmarkStartedSchema>;

export const BenchmarkProgressEventSchema = z.strictObject({
  mode: BenchmarkModeSchema,
  /** The device's id (native/devices/device-ids.ts): 'cpu', 'gpu:0'... */
  device: z.string(),
  executionProvider: z.enum(EXECUTION_PROVIDERS),
  workload: z.enum(WORKLOAD_NAMES),
  phase: z.enum(['loading', 'warmup', 'measuring', 'done']),
  /** 0..1 of the whole suite on every device. */
  fraction: z.number().min(0).max(1),
});
export type BenchmarkProgressEvent = z.infer<typeof BenchmarkProgressEventSchema>;

/** One stored run as the Devices screen's history shows it: when, how, and each device's composite score. */
export const BenchmarkHistoryRunSchema = z.strictObject({
  runId: z.int().positive(),
  mode: BenchmarkModeSchema,
  startedAt: epochMs,
  finishedAt: epochMs,
  scores: z.array(
    z.strictObject({
      /** The device's id (native/devices/device-ids.ts). */
      device: z.string(),
      executionProvider: z.enum(EXECUTION_PROVIDERS),
      /** Null where the run gave no steady figure. */
      score: z.number().positive().nullable(),
    }),
  ),
});
export type BenchmarkHistoryRun = z.infer<typeof BenchmarkHistoryRunSchema>;

/** Stored runs, newest first. */
export const BenchmarkHistorySchema = z.array(BenchmarkHistoryRunSchema);
export type BenchmarkHistory = z.infer<typeof BenchmarkHistorySchema>;

export const BenchmarkFinishedEventSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('completed'), report: BenchmarkReportSchema }),
  z.strictObject({
    outcome: z.literal('failed'),
    mode: BenchmarkModeSchema,
    code: z.string(),
    /** What went wrong and what to do, for people. */
    message: z.string().min(1),
  }),
]);
export type BenchmarkFinishedEvent = z.infer<typeof BenchmarkFinishedEventSchema>;
