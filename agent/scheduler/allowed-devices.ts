/**
 * Which devices a job may use under the chosen mode, and with what limits:
 * full mode uses every enabled device; light mode (the owner is at the
 * computer) only the CPU, on a few threads. Devices resting for heat are
 * held back either way.
 */
import type { AllowedDevice } from './decision.ts';
import { type DeviceHeat, deviceHeat } from './heat-latch.ts';
import { deviceSettingsFor, type SchedulerPolicy } from './policy.ts';
import type { DeviceSignal } from './signals.ts';

export type EarningMode = 'full' | 'light';

export interface HeldBackDevice {
  device: DeviceSignal;
  heat: Exclude<DeviceHeat, { kind: 'ok' }>;
}

export interface DeviceAllowance {
  allowed: AllowedDevice[];
  /** Enabled devices the mode would use that rest for heat (or give no reading). */
  heldBackForHeat: HeldBackDevice[];
  /** How many devices the mode would use that the owner has turned on. */
  enabledCount: number;
}

function smallestOf(values: readonly (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : Math.min(...known);
}

export function allowDevices(
  mode: EarningMode,
  policy: SchedulerPolicy,
  devices: readonly DeviceSignal[],
  hotDeviceIds: readonly string[],
): DeviceAllowance {
  const allowance: DeviceAllowance = { allowed: [], heldBackForHeat: [], enabledCount: 0 };
  for (const device of devices) {
    if (mode === 'light' && device.kind !== 'cpu') continue;
    const settings = deviceSettingsFor(policy, device.id);
    if (!settings.enabled) continue;
    allowance.enabledCount += 1;
    const heat = deviceHeat(device, policy, hotDeviceIds);
    if (heat.kind !== 'ok') {
      allowance.heldBackForHeat.push({ device, heat });
      continue;
    }
    const maxThreads =
      device.kind === 'gpu'
        ? null
        : smallestOf([device.threads, settings.maxThreads, mode === 'light' ? policy.lightMode.cpuThreads : null]);
    allowance.allowed.push({ id: device.id, kind: device.kind, maxThreads });
  }
  return allowance;
}
