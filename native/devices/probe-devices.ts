/**
 * Finds every compute device on this machine and which onnxruntime execution
 * providers work on it. Every outside tool runs with a time limit through
 * runTool, and every one may be missing: detection then goes on without it
 * and says so in the report's notes; it never throws and never hangs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { estimatePeak, parseProcCpuinfo, simdFeatures } from './cpu-info.ts';
import { listedGpuId } from './device-ids.ts';
import {
  type CpuDevice,
  type DeviceReport,
  DeviceReportSchema,
  type GpuDevice,
  type ProviderCheck,
  ProviderCheckSchema,
} from './device-report.ts';
import {
  NVIDIA_SMI_PROBE_ARGS,
  parseLspci,
  parseNvidiaSmi,
  parseSystemProfiler,
  parseWindowsVideoControllers,
  vendorOf,
} from './gpu-info.ts';
import { measureClockMhz } from './measure-clock.ts';
import { describeToolFailure, runTool } from './run-tool.ts';

export interface ProbeOptions {
  /** Per tool; nvidia-smi can take seconds on a cold driver. */
  readonly toolTimeoutMs?: number;
  readonly providerTimeoutMs?: number;
}

const PROVIDER_PROBE = path.join(import.meta.dirname, `provider-probe-main${path.extname(import.meta.filename)}`);

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

async function cpuDevice(): Promise<Omit<CpuDevice, 'providers'>> {
  const cpus = os.cpus();
  const parsed = process.platform === 'linux' ? parseProcCpuinfo(readText('/proc/cpuinfo') ?? '') : null;
  const logicalThreads = Math.max(1, parsed?.logicalThreads ?? cpus.length);
  const physicalCores = parsed?.physicalCores ?? logicalThreads;
  const simd = simdFeatures(parsed?.flags ?? new Set(), os.arch());
  const maxKhz = Number(readText('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq'));
  const hasKernelMaximum = Number.isFinite(maxKhz) && maxKhz > 0;
  // The kernel's maximum is exact where there is one; otherwise what the OS reports is a base, idle or nominal
  // clock, and the one measured under load is the better estimate (measure-clock.ts).
  const measuredMhz = hasKernelMaximum ? null : await measureClockMhz();
  const [clockMhz, clockSource] = hasKernelMaximum
    ? [maxKhz / 1000, 'cpufreq maximum']
    : measuredMhz !== null
      ? [measuredMhz, 'measured under load']
      : parsed?.clockMhz
        ? [parsed.clockMhz, '/proc/cpuinfo']
        : cpus[0]?.speed
          ? [cpus[0].speed, 'os.cpus()']
          : [null, 'unknown'];
  return {
    kind: 'cpu',
    model: parsed?.model ?? cpus[0]?.model ?? 'unknown',
    architecture: os.arch(),
    physicalCores,
    logicalThreads,
    clockMhz,
    simd,
    peak: estimatePeak({ cores: physicalCores, clockMhz, clockSource, simd }),
  };
}

type ParsedGpu = Omit<GpuDevice, 'providers'>;

async function linuxGpus(timeoutMs: number, notes: string[]): Promise<ParsedGpu[]> {
  const [smi, lspci] = await Promise.all([
    runTool('nvidia-smi', NVIDIA_SMI_PROBE_ARGS, { timeoutMs }),
    runTool('lspci', ['-mm', '-nn'], { timeoutMs }),
  ]);
  const gpus: ParsedGpu[] = [];
  if (smi.outcome === 'ok') gpus.push(...parseNvidiaSmi(smi.stdout));
  else notes.push(describeToolFailure('nvidia-smi', smi));
  let others: ParsedGpu[];
  if (lspci.outcome === 'ok') others = parseLspci(lspci.stdout);
  else {
    notes.push(`${describeToolFailure('lspci', lspci)}; GPUs were read from /sys/class/drm`);
    others = sysfsGpus();
  }
  // nvidia-smi knows memory and driver; lspci adds every other vendor's cards.
  return [...gpus, ...others.filter((gpu) => !(gpu.vendor === 'nvidia' && gpus.length > 0))];
}

function sysfsGpus(): ParsedGpu[] {
  let cards: string[];
  try {
    cards = fs.readdirSync('/sys/class/drm').filter((name) => /^card\d+$/.test(name));
  } catch {
    return [];
  }
  return cards.flatMap((card, position) => {
    const device = `/sys/class/drm/${card}/device`;
    const vendorId = readText(`${device}/vendor`)?.trim();
    if (!vendorId) return [];
    let driver: string | null = null;
    try {
      driver = path.basename(fs.readlinkSync(`${device}/driver`));
    } catch {
      // No driver bound.
    }
    const vram = Number(readText(`${device}/mem_info_vram_total`));
    return [
      {
        id: listedGpuId('sysfs', position),
        kind: 'gpu' as const,
        vendor: vendorOf(vendorId),
        name: `${vendorOf(vendorId)} GPU (${readText(`${device}/device`)?.trim() ?? 'unknown id'})`,
        memoryMb: Number.isFinite(vram) && vram > 0 ? Math.round(vram / 1024 ** 2) : null,
        driver,
        source: 'sysfs' as const,
      },
    ];
  });
}

async function platformGpus(timeoutMs: number, notes: string[]): Promise<ParsedGpu[]> {
  switch (process.platform) {
    case 'linux':
      return linuxGpus(timeoutMs, notes);
    case 'darwin': {
      const result = await runTool('system_profiler', ['SPDisplaysDataType', '-json'], { timeoutMs });
      if (result.outcome === 'ok') return parseSystemProfiler(result.stdout);
      notes.push(describeToolFailure('system_profiler', result));
      return [];
    }
    case 'win32': {
      const script =
        'Get-CimInstance Win32_VideoController | Select-Object Name,AdapterRAM,DriverVersion | ConvertTo-Json';
      const result = await runTool('powershell.exe', ['-NoProfile', '-Command', script], { timeoutMs });
      if (result.outcome === 'ok') return parseWindowsVideoControllers(result.stdout);
      notes.push(describeToolFailure('powershell', result));
      return [];
    }
    default:
      notes.push(`GPU detection is not implemented for ${process.platform}`);
      return [];
  }
}

const ProviderProbeOutputSchema = z.strictObject({
  onnxruntimeVersion: z.string(),
  checks: z.array(ProviderCheckSchema),
});

async function probeProviders(timeoutMs: number, notes: string[]) {
  const result = await runTool(process.execPath, [PROVIDER_PROBE], {
    timeoutMs,
    env: { ...process.env, ORT_DISABLE_TELEMETRY: '1', NODE_OPTIONS: '' },
  });
  if (result.outcome === 'ok') {
    try {
      const parsed = ProviderProbeOutputSchema.safeParse(JSON.parse(result.stdout));
      if (parsed.success) return parsed.data;
    } catch {
      // Reported below.
    }
    notes.push('the execution provider probe printed something unreadable');
  } else {
    notes.push(`${describeToolFailure('the execution provider probe', result)}; only cpu is assumed`);
  }
  return {
    onnxruntimeVersion: 'unknown',
    checks: [{ provider: 'cpu', usable: true, reason: null }] satisfies ProviderCheck[],
  };
}

/** Which providers run on which device: cpu on the CPU; cuda on NVIDIA; webgpu on any GPU; dml on Windows GPUs; coreml on Apple. */
function providersFor(gpu: ParsedGpu, usable: ReadonlySet<string>): GpuDevice['providers'] {
  const fits = {
    cuda: gpu.vendor === 'nvidia',
    webgpu: true,
    dml: process.platform === 'win32',
    coreml: gpu.vendor === 'apple',
  } as const;
  return (Object.keys(fits) as (keyof typeof fits)[]).filter((provider) => fits[provider] && usable.has(provider));
}

export async function probeDevices(options: ProbeOptions = {}): Promise<DeviceReport> {
  const started = performance.now();
  const notes: string[] = [];
  const [gpus, providers] = await Promise.all([
    platformGpus(options.toolTimeoutMs ?? 5000, notes),
    probeProviders(options.providerTimeoutMs ?? 30_000, notes),
  ]);
  const usable = new Set(providers.checks.filter((check) => check.usable).map((check) => check.provider));
  // After the other probes, whose child processes would share the cores with the clock's measurement.
  const cpu = await cpuDevice();
  return DeviceReportSchema.parse({
    platform: `${process.platform}-${os.arch()}`,
    onnxruntimeVersion: providers.onnxruntimeVersion,
    cpu: { ...cpu, providers: usable.has('cpu') ? ['cpu'] : [] },
    gpus: gpus.map((gpu) => ({ ...gpu, providers: providersFor(gpu, usable) })),
    providers: providers.checks,
    notes,
    probeMs: performance.now() - started,
  } satisfies DeviceReport);
}
