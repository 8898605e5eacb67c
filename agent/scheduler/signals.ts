/**
 * What the scheduler knows about the computer at one moment. Gathered by the
 * agent's signal sources (idle and power from the Electron shell, the rest
 * from the agent itself) and handed to `decide` as one value, so the decision
 * is a pure function of it. Unknown is written as null, never guessed: an
 * unknown idle time is not idleness, an unknown temperature is not cool.
 */
import { z } from 'zod';

const epochMs = z.number().int().nonnegative();

export const WalletReadinessSchema = z.enum(['ready', 'missing', 'locked']);
export type WalletReadiness = z.infer<typeof WalletReadinessSchema>;

export const DeviceKindSchema = z.enum(['cpu', 'gpu']);
export type DeviceKind = z.infer<typeof DeviceKindSchema>;

export const DeviceSignalSchema = z.object({
  /** The device probe's id; the policy's per-device settings are keyed by it. */
  id: z.string().min(1),
  kind: DeviceKindSchema,
  /** Shown in reasons ("RTX 4090 is at 88 °C"). */
  name: z.string().min(1),
  /** Logical threads of a CPU; null for GPUs or where unknown. */
  threads: z.number().int().positive().nullable(),
  /** Whether this device's driver gives temperatures at all. */
  reportsTemperature: z.boolean(),
  /** The latest reading, °C; null when there is none now. */
  temperatureC: z.number().nullable(),
});
export type DeviceSignal = z.infer<typeof DeviceSignalSchema>;

export const CpuSampleSchema = z.object({
  at: epochMs,
  /** CPU use of everything except our own worker, 0-100 % of the whole machine. */
  otherProgramsPercent: z.number().min(0).max(100),
});
export type CpuSample = z.infer<typeof CpuSampleSchema>;

/**
 * What the Electron shell pushes through the local API (powerMonitor); a
 * headless agent fills the same fields itself.
 */
export const ShellSignalsSchema = z.object({
  /** False on a machine with no keyboard or mouse to watch (a headless rig): it follows the schedule alone. */
  hasInputSource: z.boolean(),
  /**
   * Seconds since the last keyboard or mouse input; null when it cannot be
   * known (for example Wayland sessions, where Electron always reports 0).
   */
  idleSeconds: z.number().nonnegative().nullable(),
  /** Null where the power source cannot be read; that is treated as mains power (desktops and servers). */
  isOnBattery: z.boolean().nullable(),
});
export type ShellSignals = z.infer<typeof ShellSignalsSchema>;

export const SchedulerSignalsSchema = ShellSignalsSchema.extend({
  devices: z.array(DeviceSignalSchema),
  /** Names of running processes as the OS lists them; null when the list cannot be read. */
  runningProcessNames: z.array(z.string()).nullable(),
  /**
   * Recent samples of other programs' CPU use. Samples the scheduler has
   * already seen (at or before the memory's last one) are skipped, so passing
   * a rolling window is fine.
   */
  cpuSamples: z.array(CpuSampleSchema),
  isJobRunning: z.boolean(),
  isNetworkReachable: z.boolean(),
  isBenchmarking: z.boolean(),
  /** Whether the network has offered work this computer can take (its last answer). */
  isWorkAvailable: z.boolean(),
  /**
   * Whether the provider can sign in to the network: its wallet key signs the
   * session at registration, so without a wallet, or with its key still
   * locked behind the password, no work can be taken.
   */
  wallet: WalletReadinessSchema,
});
export type SchedulerSignals = z.infer<typeof SchedulerSignalsSchema>;
