/**
 * What `idlehive devices` reports and the benchmark builds on: every compute
 * device, and which onnxruntime execution providers really work on it (each
 * was tried with a real session, not read from a list).
 */
import { z } from 'zod';
import { EXECUTION_PROVIDERS } from '../worker/session-options.ts';

export const SIMD_FEATURES = [
  'sse4.2',
  'avx',
  'avx2',
  'fma',
  'avx512f',
  'avx512_bf16',
  'avx512_vnni',
  'amx',
  'neon',
  'sve',
] as const;

export const PeakEstimateSchema = z.strictObject({
  gflops: z.number().positive(),
  /** The arithmetic, in words: cores x clock x FLOPs per cycle, and where each number came from. */
  method: z.string().min(1),
});
export type PeakEstimate = z.infer<typeof PeakEstimateSchema>;

export const CpuDeviceSchema = z.strictObject({
  kind: z.literal('cpu'),
  model: z.string(),
  architecture: z.string(),
  physicalCores: z.int().positive(),
  logicalThreads: z.int().positive(),
  /** The clock the estimate uses, in MHz; null where the OS does not tell. */
  clockMhz: z.number().positive().nullable(),
  simd: z.array(z.enum(SIMD_FEATURES)),
  peak: PeakEstimateSchema.nullable(),
  providers: z.array(z.enum(EXECUTION_PROVIDERS)),
});
export type CpuDevice = z.infer<typeof CpuDeviceSchema>;

export const GpuVendorSchema = z.enum(['nvidia', 'amd', 'intel', 'apple', 'other']);
export type GpuVendor = z.infer<typeof GpuVendorSchema>;

export const GpuDeviceSchema = z.strictObject({
  /** `gpu:<nvidia-smi index>` or `gpu:<tool>-<n>` (device-ids.ts): the id the scheduler and the policy use. */
  id: z.string().regex(/^gpu:/),
  kind: z.literal('gpu'),
  vendor: GpuVendorSchema,
  name: z.string(),
  memoryMb: z.number().int().positive().nullable(),
  driver: z.string().nullable(),
  /** Which tool told us about it. */
  source: z.enum(['nvidia-smi', 'sysfs', 'lspci', 'system_profiler', 'cim']),
  providers: z.array(z.enum(EXECUTION_PROVIDERS)),
});
export type GpuDevice = z.infer<typeof GpuDeviceSchema>;

export const ProviderCheckSchema = z.strictObject({
  provider: z.enum(EXECUTION_PROVIDERS),
  usable: z.boolean(),
  /** Why not, in one line; null when usable. */
  reason: z.string().nullable(),
});
export type ProviderCheck = z.infer<typeof ProviderCheckSchema>;

export const DeviceReportSchema = z.strictObject({
  platform: z.string(),
  onnxruntimeVersion: z.string(),
  cpu: CpuDeviceSchema,
  gpus: z.array(GpuDeviceSchema),
  providers: z.array(ProviderCheckSchema),
  /** Tools that were missing, failed or timed out: detection went on without them. */
  notes: z.array(z.string()),
  probeMs: z.number().min(0),
});
export type DeviceReport = z.infer<typeof DeviceReportSchema>;
