/**
 * "Pause while other programs keep the CPU above X % for 20 s." Both ways
 * need 20 s in a row: busy starts after 20 s above the threshold and ends
 * after 20 s below it, so a load that hovers around the threshold (a build
 * with short pauses, a game's loading screens) leaves the decision where it is.
 */
import type { CpuSample } from './signals.ts';

export const CPU_BUSY_SUSTAIN_MS = 20_000;
/**
 * Samples further apart than this do not make a run: nobody saw the CPU in
 * between, so an above-threshold sample after a long gap starts a new run.
 */
export const CPU_SAMPLE_MAX_GAP_MS = 10_000;

export interface CpuBusyMemory {
  /** The threshold the runs below were measured against; a changed policy starts over. */
  thresholdPercent: number | null;
  lastSampleAt: number | null;
  /** Start of the current unbroken run of samples above the threshold. */
  aboveSince: number | null;
  /** Start of the current unbroken run of samples at or below it. */
  belowSince: number | null;
  isBusy: boolean;
}

export const INITIAL_CPU_BUSY_MEMORY: CpuBusyMemory = {
  thresholdPercent: null,
  lastSampleAt: null,
  aboveSince: null,
  belowSince: null,
  isBusy: false,
};

export function updateCpuBusy(
  memory: CpuBusyMemory,
  samples: readonly CpuSample[],
  thresholdPercent: number | null,
): CpuBusyMemory {
  if (thresholdPercent === null) return INITIAL_CPU_BUSY_MEMORY;
  let { lastSampleAt, aboveSince, belowSince, isBusy } =
    memory.thresholdPercent === thresholdPercent ? memory : { ...INITIAL_CPU_BUSY_MEMORY };
  const fresh = samples
    .filter((sample) => lastSampleAt === null || sample.at > lastSampleAt)
    .sort((a, b) => a.at - b.at);
  for (const sample of fresh) {
    if (lastSampleAt !== null && sample.at - lastSampleAt > CPU_SAMPLE_MAX_GAP_MS) {
      aboveSince = null;
      belowSince = null;
    }
    if (sample.otherProgramsPercent > thresholdPercent) {
      belowSince = null;
      aboveSince ??= sample.at;
      if (!isBusy && sample.at - aboveSince >= CPU_BUSY_SUSTAIN_MS) isBusy = true;
    } else {
      aboveSince = null;
      belowSince ??= sample.at;
      if (isBusy && sample.at - belowSince >= CPU_BUSY_SUSTAIN_MS) isBusy = false;
    }
    lastSampleAt = sample.at;
  }
  return { thresholdPercent, lastSampleAt, aboveSince, belowSince, isBusy };
}

/** When a new sample could next flip the verdict, for the scheduler's next check; null when none is pending. */
export function cpuBusyFlipAt(memory: CpuBusyMemory): number | null {
  if (!memory.isBusy && memory.aboveSince !== null) return memory.aboveSince + CPU_BUSY_SUSTAIN_MS;
  if (memory.isBusy && memory.belowSince !== null) return memory.belowSince + CPU_BUSY_SUSTAIN_MS;
  return null;
}
