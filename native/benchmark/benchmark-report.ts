/**
 * What a benchmark run produces, stored in the ledger and printed by
 * `idlehive benchmark`: per device and execution provider, per workload the
 * throughput (null when unstable), latency percentiles, the coefficient of
 * variation over rounds, the fraction of the estimated peak, and one
 * composite score per device.
 */
import { z } from 'zod';
import { EXECUTION_PROVIDERS } from '../worker/session-options.ts';
import { WORKLOAD_NAMES } from './workload-names.ts';

export const BENCHMARK_MODES = ['quick', 'full'] as const;
export type BenchmarkMode = (typeof BENCHMARK_MODES)[number];

export const WorkloadResultSchema = z.strictObject({
  workload: z.enum(WORKLOAD_NAMES),
  label: z.string(),
  unit: z.enum(['GFLOP/s', 'GB/s', 'items/s']),
  throughput: z.number().positive().nullable(),
  p50Ms: z.number().min(0),
  p95Ms: z.number().min(0),
  cv: z.number().min(0),
  runs: z.int().positive(),
  stable: z.boolean(),
  /** throughput / the estimated peak of the cores used (GFLOP/s workloads on the CPU only). */
  peakFraction: z.number().min(0).nullable(),
  /** Why there is no figure, when there is none. */
  note: z.string().nullable(),
});
export type WorkloadResult = z.infer<typeof WorkloadResultSchema>;

export const DeviceBenchmarkSchema = z.strictObject({
  /** The device's id (native/devices/device-ids.ts): 'cpu', 'gpu:0'... as the policy and the scheduler name it. */
  device: z.string(),
  name: z.string(),
  executionProvider: z.enum(EXECUTION_PROVIDERS),
  threads: z.int().positive(),
  workloads: z.array(WorkloadResultSchema),
  score: z.number().positive().nullable(),
});
export type DeviceBenchmark = z.infer<typeof DeviceBenchmarkSchema>;

export const BenchmarkReportSchema = z.strictObject({
  mode: z.enum(BENCHMARK_MODES),
  startedAt: z.int(),
  finishedAt: z.int(),
  appVersion: z.string(),
  onnxruntimeVersion: z.string(),
  devices: z.array(DeviceBenchmarkSchema),
});
export type BenchmarkReport = z.infer<typeof BenchmarkReportSchema>;
