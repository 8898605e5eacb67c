/**
 * The per-device switches and limits as scheduler policy fields: the ids the
 * scheduler uses (native/devices/device-ids.ts: 'cpu', 'gpu:0'...), which of
 * them the agent reads a temperature for, and the patch that changes one
 * device while keeping every other device's settings (a policy patch replaces
 * the whole `devices` field).
 */
import type { DevicesView, SchedulerPolicy, SchedulerPolicyInput } from '../../../agent/local-api/contract.ts';
import { CPU_DEVICE_ID, hasTemperatureReading } from '../../../native/devices/device-ids.ts';

export { CPU_DEVICE_ID };

export type DeviceSettings = SchedulerPolicy['devices'][string];

const DEFAULTS: DeviceSettings = { enabled: true, maxThreads: null, temperatureLimitC: null };

export function deviceSettings(policy: SchedulerPolicy, id: string): DeviceSettings {
  return Object.hasOwn(policy.devices, id) ? (policy.devices[id] ?? DEFAULTS) : DEFAULTS;
}

export interface ControlledDevice {
  /** The id the policy, the scheduler and the benchmark use. */
  id: string;
  kind: 'cpu' | 'gpu';
  name: string;
  /**
   * Whether the agent reads this device's temperature (NVIDIA GPUs through
   * nvidia-smi); where it reads none a limit would do nothing and none is
   * offered.
   */
  readsTemperature: boolean;
}

/** Every device of the report, named by the ids the scheduler uses. */
export function controlledDevices(view: DevicesView): ControlledDevice[] {
  return [
    { id: CPU_DEVICE_ID, kind: 'cpu', name: view.devices.cpu.model, readsTemperature: false },
    ...view.devices.gpus.map((gpu) => ({
      id: gpu.id,
      kind: 'gpu' as const,
      name: gpu.name,
      readsTemperature: hasTemperatureReading(gpu.id),
    })),
  ];
}

/** An empty field means "the default" (null); a number goes as a number; anything else as typed, for the agent to word. */
function typedNumber(text: string): number | string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

/**
 * The patch for one device. Limits go as typed: an empty field means "all
 * threads" or "the default limit" (null), anything else is sent as a number
 * when it is one and as the text otherwise, so the agent's schema words the
 * problem.
 */
export function devicePatch(
  policy: SchedulerPolicy,
  id: string,
  change: { enabled?: boolean; maxThreadsText?: string; temperatureLimitText?: string },
): Partial<SchedulerPolicyInput> {
  const current = deviceSettings(policy, id);
  const next: Record<string, unknown> = { ...current };
  if (change.enabled !== undefined) next.enabled = change.enabled;
  if (change.maxThreadsText !== undefined) next.maxThreads = typedNumber(change.maxThreadsText);
  if (change.temperatureLimitText !== undefined) next.temperatureLimitC = typedNumber(change.temperatureLimitText);
  return { devices: { ...policy.devices, [id]: next as DeviceSettings } };
}
