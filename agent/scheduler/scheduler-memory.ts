/**
 * What the scheduler remembers between decisions. It is an explicit value,
 * passed into `decide` and returned from it, so the function stays pure and
 * every hysteresis rule can be tested by replaying a sequence of signals. The
 * agent keeps the latest one in memory; after a restart it starts from
 * INITIAL_SCHEDULER_MEMORY.
 */
import { type CpuBusyMemory, INITIAL_CPU_BUSY_MEMORY } from './cpu-busy.ts';
import type { ExcludedAppSighting } from './excluded-apps.ts';
import type { IdleLatch } from './idle-latch.ts';

export interface SchedulerMemory {
  /** Set while the owner is away (idle threshold crossed and no input since). */
  idleLatch: IdleLatch | null;
  /** Devices resting until they are 10 °C below their limit. */
  hotDeviceIds: readonly string[];
  /** The excluded app seen last, for the 15 s after it exits. */
  excludedAppSighting: ExcludedAppSighting | null;
  cpuBusy: CpuBusyMemory;
  /**
   * The `setAt` of the finish-then-pause override whose job has ended: from
   * then on it is a pause, even if a job shows up again.
   */
  jobFinishedForOverrideSetAt: number | null;
}

export const INITIAL_SCHEDULER_MEMORY: SchedulerMemory = {
  idleLatch: null,
  hotDeviceIds: [],
  excludedAppSighting: null,
  cpuBusy: INITIAL_CPU_BUSY_MEMORY,
  jobFinishedForOverrideSetAt: null,
};
