/**
 * GPU temperatures for the scheduler's heat rule, where the driver reports
 * them: NVIDIA's nvidia-smi (the one vendor tool that answers in a stable,
 * machine-readable form on Windows and Linux). Each GPU is named by
 * nvidiaGpuId (`gpu:<nvidia-smi index>`), the id the device report, the
 * Devices screen and the owner's per-device settings use. A GPU the tool lists without a
 * reading reports temperatures but has none now, which the heat rule treats as
 * not safe.
 */
import { nvidiaGpuId } from '../../native/devices/device-ids.ts';
import type { DeviceSignal } from '../scheduler/signals.ts';

export const NVIDIA_SMI_TEMPERATURE_ARGS = [
  '--query-gpu=index,name,temperature.gpu',
  '--format=csv,noheader,nounits',
] as const;

/** `nvidia-smi --query-gpu=index,name,temperature.gpu --format=csv,noheader,nounits` */
export function parseNvidiaTemperatures(csv: string): DeviceSignal[] {
  const devices: DeviceSignal[] = [];
  for (const line of csv.split('\n')) {
    const parts = line.split(',').map((part) => part.trim());
    if (parts.length < 3) continue;
    const [indexText, name, temperatureText] = parts;
    const index = Number(indexText);
    if (!Number.isInteger(index) || index < 0 || !name) continue;
    const temperature = Number(temperatureText);
    devices.push({
      id: nvidiaGpuId(index),
      kind: 'gpu',
      name,
      threads: null,
      reportsTemperature: true,
      // "[N/A]" or "[Not Supported]" while the driver is busy or asleep.
      temperatureC: temperatureText !== '' && Number.isFinite(temperature) ? temperature : null,
    });
  }
  return devices;
}
