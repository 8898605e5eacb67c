/**
 * Reads what the agent itself can know about the computer: power source,
 * running programs (through systeminformation, not hand-parsed /proc) and CPU
 * load (Node's own per-core counters, see cpu-load.ts), on fixed, cheap
 * cadences. The process list is only read while the
 * owner has excluded apps, because listing processes costs ~0.25 s of CPU.
 */
import os from 'node:os';
import si from 'systeminformation';
import { runTool } from '../../native/devices/run-tool.ts';
import type { CpuSample, DeviceSignal } from '../scheduler/signals.ts';
import { type CpuTimes, cpuPercentBetween, readCpuTimes } from './cpu-load.ts';
import { NVIDIA_SMI_TEMPERATURE_ARGS, parseNvidiaTemperatures } from './gpu-temperatures.ts';

export interface HostSignals {
  isOnBattery: boolean | null;
  runningProcessNames: string[] | null;
  cpuSamples: CpuSample[];
  devices: DeviceSignal[];
}

export interface HostSignalSamplerOptions {
  clock: () => number;
  /** True while the policy lists excluded apps. */
  wantsProcessList: () => boolean;
  /** Our own workers' share of the whole machine's CPU (0-100), subtracted from the load. */
  ownCpuPercent: () => number;
  /** Called after a reading changed something the scheduler uses. */
  onChange: () => void;
  cpuEveryMs?: number;
  batteryEveryMs?: number;
  processesEveryMs?: number;
  gpuEveryMs?: number;
}

/** A minute of samples: enough for the 20 s busy rule, bounded for memory. */
const CPU_WINDOW = 30;

/** The CPU as the scheduler sees it until the device probe names more devices. */
export function hostCpuDevice(): DeviceSignal {
  return {
    id: 'cpu',
    kind: 'cpu',
    name: os.cpus()[0]?.model.trim() || 'CPU',
    threads: os.availableParallelism(),
    reportsTemperature: false,
    temperatureC: null,
  };
}

export class HostSignalSampler {
  private readonly options: Required<HostSignalSamplerOptions>;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly signals: HostSignals = {
    isOnBattery: null,
    runningProcessNames: null,
    cpuSamples: [],
    devices: [hostCpuDevice()],
  };
  private stopped = false;
  private cpuTimes: CpuTimes | null = null;
  private hasNvidiaSmi = true;

  constructor(options: HostSignalSamplerOptions) {
    this.options = { cpuEveryMs: 2000, batteryEveryMs: 30_000, processesEveryMs: 5000, gpuEveryMs: 5000, ...options };
  }

  current(): HostSignals {
    return this.signals;
  }

  async start(): Promise<void> {
    // The first readings are awaited so the first decision already knows the power source.
    await Promise.all([this.sampleBattery(), this.sampleCpu(), this.sampleProcesses(), this.sampleGpus()]);
    this.every(this.options.cpuEveryMs, () => this.sampleCpu());
    this.every(this.options.batteryEveryMs, () => this.sampleBattery());
    this.every(this.options.processesEveryMs, () => this.sampleProcesses());
    // Only where nvidia-smi answered at start: a machine without it is never asked again.
    if (this.hasNvidiaSmi) this.every(this.options.gpuEveryMs, () => this.sampleGpus());
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
  }

  private every(ms: number, sample: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      sample().finally(() => {
        busy = false;
      });
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private async sampleBattery(): Promise<void> {
    let isOnBattery: boolean | null;
    try {
      const battery = await si.battery();
      isOnBattery = battery.hasBattery ? !battery.acConnected : null;
    } catch {
      isOnBattery = null;
    }
    if (isOnBattery !== this.signals.isOnBattery) {
      this.signals.isOnBattery = isOnBattery;
      this.changed();
    }
  }

  private async sampleCpu(): Promise<void> {
    const times = readCpuTimes();
    const previous = this.cpuTimes;
    this.cpuTimes = times;
    const load = previous === null ? null : cpuPercentBetween(previous, times);
    if (load !== null) {
      const others = Math.min(100, Math.max(0, load - this.options.ownCpuPercent()));
      this.signals.cpuSamples = [
        ...this.signals.cpuSamples.slice(-(CPU_WINDOW - 1)),
        { at: this.options.clock(), otherProgramsPercent: others },
      ];
      this.changed();
    }
  }

  private async sampleProcesses(): Promise<void> {
    if (!this.options.wantsProcessList()) {
      if (this.signals.runningProcessNames !== null) {
        this.signals.runningProcessNames = null;
        this.changed();
      }
      return;
    }
    try {
      const { list } = await si.processes();
      this.signals.runningProcessNames = [...new Set(list.map((p) => p.name))];
    } catch {
      this.signals.runningProcessNames = null;
    }
    this.changed();
  }

  private async sampleGpus(): Promise<void> {
    const result = await runTool('nvidia-smi', NVIDIA_SMI_TEMPERATURE_ARGS, { timeoutMs: 3000 });
    if (result.outcome === 'missing') {
      this.hasNvidiaSmi = false;
      return;
    }
    const cpu = this.signals.devices.filter((device) => device.kind === 'cpu');
    // A tool that fails or hangs leaves the GPUs listed with unknown temperatures: not safe to heat further.
    const gpus =
      result.outcome === 'ok'
        ? parseNvidiaTemperatures(result.stdout)
        : this.signals.devices
            .filter((device) => device.kind === 'gpu')
            .map((device) => ({ ...device, temperatureC: null }));
    const devices = [...cpu, ...gpus];
    if (JSON.stringify(devices) !== JSON.stringify(this.signals.devices)) {
      this.signals.devices = devices;
      this.changed();
    }
  }

  private changed(): void {
    if (!this.stopped) this.options.onChange();
  }
}
