/**
 * Per-device heat protection with hysteresis: a device above its limit rests
 * until it is 10 °C below the limit, so a GPU hovering at the limit does not
 * start and stop jobs every few seconds. A device whose driver reports
 * temperatures but gives no reading now is not assumed to be cool.
 */
import { type SchedulerPolicy, temperatureLimitFor } from './policy.ts';
import type { DeviceSignal } from './signals.ts';

export const HEAT_RESUME_MARGIN_C = 10;

export type DeviceHeat =
  | { kind: 'ok' }
  /** Above its limit, or not yet 10 °C below it since it was. */
  | { kind: 'cooling'; temperatureC: number | null; resumeAtC: number }
  /** Reports temperatures, but has no reading now, and was not known to be hot. */
  | { kind: 'unreadable' };

/** The ids of devices resting for heat after these readings, sorted so equal memories compare equal. */
export function updateHotDevices(
  hotDeviceIds: readonly string[],
  devices: readonly DeviceSignal[],
  policy: SchedulerPolicy,
): string[] {
  const hot = new Set(hotDeviceIds);
  for (const device of devices) {
    const limit = temperatureLimitFor(policy, device.id, device.kind);
    const reading = device.temperatureC;
    if (hot.has(device.id)) {
      // No reading while cooling keeps it resting: it has not shown it cooled down.
      if (reading !== null && reading <= limit - HEAT_RESUME_MARGIN_C) hot.delete(device.id);
    } else if (reading !== null && reading > limit) {
      hot.add(device.id);
    }
  }
  // A device that vanished from the probe keeps its latch: if it comes back, it comes back hot.
  return [...hot].sort();
}

export function deviceHeat(device: DeviceSignal, policy: SchedulerPolicy, hotDeviceIds: readonly string[]): DeviceHeat {
  const limit = temperatureLimitFor(policy, device.id, device.kind);
  if (hotDeviceIds.includes(device.id)) {
    return { kind: 'cooling', temperatureC: device.temperatureC, resumeAtC: limit - HEAT_RESUME_MARGIN_C };
  }
  if (device.reportsTemperature && device.temperatureC === null) return { kind: 'unreadable' };
  return { kind: 'ok' };
}
