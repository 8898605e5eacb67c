/**
 * The one naming of compute devices that every part of Idlehive shares: the
 * device report (and so the Devices screen), the benchmark's results, the
 * scheduler's temperature sampler and the owner's per-device settings in the
 * scheduling policy. A setting saved for `gpu:0` must reach the GPU whose
 * temperature the scheduler reads as `gpu:0`, so the ids are made here only.
 *
 * - `cpu`: the processor (all its cores are one device).
 * - `gpu:<index>`: an NVIDIA GPU by nvidia-smi's own index, which both the
 *   probe and the temperature sampler ask nvidia-smi for; positions in a list
 *   are never used, because another tool (lspci) may list an integrated GPU
 *   first.
 * - `gpu:<tool>-<n>`: a GPU only another tool described (lspci, sysfs,
 *   system_profiler, Windows CIM), numbered in that tool's order. No
 *   temperature is read for these, so their id can never be mistaken for an
 *   NVIDIA index.
 */

export const CPU_DEVICE_ID = 'cpu';

export type GpuSource = 'nvidia-smi' | 'sysfs' | 'lspci' | 'system_profiler' | 'cim';

/** An NVIDIA GPU by nvidia-smi's index (`--query-gpu=index,...`). */
export function nvidiaGpuId(index: number): string {
  if (!Number.isInteger(index) || index < 0)
    throw new RangeError(`nvidia-smi index must be a whole number, not ${index}`);
  return `gpu:${index}`;
}

/** A GPU another tool listed, by its position in that tool's list. */
export function listedGpuId(source: Exclude<GpuSource, 'nvidia-smi'>, position: number): string {
  return `gpu:${source}-${position}`;
}

/** The nvidia-smi index inside an id, or null for the CPU and GPUs no nvidia-smi index names. */
export function nvidiaIndexOf(deviceId: string): number | null {
  const match = /^gpu:(\d+)$/.exec(deviceId);
  return match === null ? null : Number(match[1]);
}

/** Whether the scheduler reads this device's temperature (NVIDIA GPUs through nvidia-smi). */
export function hasTemperatureReading(deviceId: string): boolean {
  return nvidiaIndexOf(deviceId) !== null;
}
