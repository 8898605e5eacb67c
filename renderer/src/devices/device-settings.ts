/**
 * The per-device switches and limits as scheduler policy fields: the ids the
 * scheduler uses ('cpu', 'gpu:0'...), and the patch that changes one device
 * while keeping every other device's settings (a policy patch replaces the
 * whole `devices` field).
 */
import type { SchedulerPolicy, SchedulerPolicyInput } from '../../../agent/local-api/contract.ts';

export type DeviceSettings = SchedulerPolicy['devices'][string];

export const CPU_DEVICE_ID = 'cpu';

export function gpuDeviceId(index: number): string {
  return `gpu:${index}`;
}

const DEFAULTS: DeviceSettings = { enabled: true, maxThreads: null, temperatureLimitC: null };

export function deviceSettings(policy: SchedulerPolicy, id: string): DeviceSettings {
  return Object.hasOwn(policy.devices, id) ? (policy.devices[id] ?? DEFAULTS) : DEFAULTS;
}

/**
 * The patch for one device. The thread limit goes as typed: an empty field
 * means "all threads" (null), anything else is sent as a number when it is
 * one and as the text otherwise, so the agent's schema words the problem.
 */
export function devicePatch(
  policy: SchedulerPolicy,
  id: string,
  change: { enabled?: boolean; maxThreadsText?: string },
): Partial<SchedulerPolicyInput> {
  const current = deviceSettings(policy, id);
  const next: Record<string, unknown> = { ...current };
  if (change.enabled !== undefined) next.enabled = change.enabled;
  if (change.maxThreadsText !== undefined) {
    const text = change.maxThreadsText.trim();
    next.maxThreads = text === '' ? null : Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return { devices: { ...policy.devices, [id]: next as DeviceSettings } };
}
