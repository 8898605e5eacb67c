/**
 * GPUs as each platform's tools describe them, parsed by pure functions: the
 * probe runs the tools (with time limits) and hands their text here.
 */

import { listedGpuId, nvidiaGpuId } from './device-ids.ts';
import type { GpuDevice, GpuVendor } from './device-report.ts';

type ParsedGpu = Omit<GpuDevice, 'providers'>;

const PCI_VENDORS: Readonly<Record<string, GpuVendor>> = {
  '10de': 'nvidia',
  '1002': 'amd',
  '1022': 'amd',
  '8086': 'intel',
  '106b': 'apple',
};

export function vendorOf(text: string): GpuVendor {
  const lower = text.toLowerCase();
  const pciId = /^(?:0x)?([0-9a-f]{4})$/.exec(lower)?.[1];
  if (pciId !== undefined) return PCI_VENDORS[pciId] ?? 'other';
  if (/nvidia|geforce|quadro|tesla/.test(lower)) return 'nvidia';
  if (/\bamd\b|radeon|advanced micro devices|\bati\b/.test(lower)) return 'amd';
  if (/intel/.test(lower)) return 'intel';
  if (/apple/.test(lower)) return 'apple';
  return 'other';
}

/** The probe's nvidia-smi query: the index first, so the id is the one the temperature sampler reads. */
export const NVIDIA_SMI_PROBE_ARGS = [
  '--query-gpu=index,name,memory.total,driver_version',
  '--format=csv,noheader,nounits',
] as const;

/** `nvidia-smi --query-gpu=index,name,memory.total,driver_version --format=csv,noheader,nounits` */
export function parseNvidiaSmi(csv: string): ParsedGpu[] {
  return csv
    .split('\n')
    .map((line) => line.split(',').map((part) => part.trim()))
    .filter((parts) => parts.length >= 4 && /^\d+$/.test(parts[0] ?? '') && parts[1])
    .map(([index, name, memory, driver]) => {
      const memoryMb = Number(memory);
      return {
        id: nvidiaGpuId(Number(index)),
        kind: 'gpu',
        vendor: 'nvidia',
        name: name as string,
        memoryMb: Number.isInteger(memoryMb) && memoryMb > 0 ? memoryMb : null,
        driver: driver || null,
        source: 'nvidia-smi',
      };
    });
}

/** `lspci -mm -nn`: quoted fields; display controllers are class 0300 (VGA), 0302 (3D) and 0380. */
export function parseLspci(text: string): ParsedGpu[] {
  const gpus: ParsedGpu[] = [];
  for (const line of text.split('\n')) {
    const fields = [...line.matchAll(/"([^"]*)"/g)].map((match) => match[1] ?? '');
    const [deviceClass, vendor, device] = fields;
    if (!deviceClass || !/\[(0300|0302|0380)\]/.test(deviceClass)) continue;
    const vendorId = /\[([0-9a-f]{4})\]\s*$/i.exec(vendor ?? '')?.[1] ?? '';
    const strip = (text: string | undefined) => (text ?? '').replace(/\s*\[[0-9a-f]{4}\]\s*$/i, '');
    gpus.push({
      id: listedGpuId('lspci', gpus.length),
      kind: 'gpu',
      vendor: vendorOf(vendorId),
      name: `${strip(vendor)} ${strip(device)}`.trim(),
      memoryMb: null,
      driver: null,
      source: 'lspci',
    });
  }
  return gpus;
}

/** `system_profiler SPDisplaysDataType -json` on macOS. */
export function parseSystemProfiler(json: string): ParsedGpu[] {
  let parsed: { SPDisplaysDataType?: Record<string, unknown>[] };
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  return (parsed.SPDisplaysDataType ?? []).map((entry, position) => {
    const name = String(entry.sppci_model ?? entry._name ?? 'GPU');
    const vram = String(entry.spdisplays_vram ?? entry.spdisplays_vram_shared ?? '');
    const amount = /(\d+)\s*(GB|MB)/i.exec(vram);
    const memoryMb = amount ? Number(amount[1]) * ((amount[2] ?? '').toUpperCase() === 'GB' ? 1024 : 1) : null;
    return {
      id: listedGpuId('system_profiler', position),
      kind: 'gpu',
      vendor: vendorOf(String(entry.spdisplays_vendor ?? name)),
      name,
      memoryMb,
      driver: null,
      source: 'system_profiler',
    };
  });
}

/** PowerShell `Get-CimInstance Win32_VideoController | Select Name,AdapterRAM,DriverVersion | ConvertTo-Json`. */
export function parseWindowsVideoControllers(json: string): ParsedGpu[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const entries = (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
  return entries
    .filter((entry) => entry && typeof entry.Name === 'string')
    .map((entry, position) => {
      // AdapterRAM is a uint32 and saturates at 4 GB: reported, but known to understate larger cards.
      const bytes = Number(entry.AdapterRAM);
      return {
        id: listedGpuId('cim', position),
        kind: 'gpu',
        vendor: vendorOf(entry.Name as string),
        name: entry.Name as string,
        memoryMb: Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes / 1024 ** 2) : null,
        driver: typeof entry.DriverVersion === 'string' ? entry.DriverVersion : null,
        source: 'cim',
      };
    });
}
