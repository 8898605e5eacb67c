/**
 * The whole machine's CPU use between two readings of `os.cpus()` times.
 * systeminformation's currentLoad runs `cat /proc/stat | grep cpu` through a
 * shell on every call on Linux, three processes every sample, which alone
 * costs more than the agent's whole idle budget; Node's own counters say the
 * same thing for free on every platform.
 */
import os from 'node:os';

export interface CpuTimes {
  busy: number;
  total: number;
}

export function readCpuTimes(cpus: readonly os.CpuInfo[] = os.cpus()): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** Percent of the whole machine (0-100) busy between two readings; null when no time passed. */
export function cpuPercentBetween(before: CpuTimes, after: CpuTimes): number | null {
  const total = after.total - before.total;
  if (total <= 0) return null;
  return Math.min(100, Math.max(0, ((after.busy - before.busy) / total) * 100));
}
