import { describe, expect, it } from 'vitest';
import type { BenchmarkProgressEvent, BenchmarkReport } from '../../../agent/local-api/contract.ts';
import { defaultSchedulerPolicy } from '../../../agent/scheduler/policy.ts';
import {
  benchmarkFinished,
  benchmarkProgressed,
  benchmarkStarted,
  describeBenchmarkRun,
  NO_BENCHMARK,
} from './benchmark-run.ts';
import { controlledDevices, devicePatch, deviceSettings } from './device-settings.ts';

const progress: BenchmarkProgressEvent = {
  mode: 'quick',
  device: 'cpu',
  executionProvider: 'cpu',
  workload: 'gemm',
  phase: 'measuring',
  fraction: 0.4,
};

const report: BenchmarkReport = {
  mode: 'quick',
  startedAt: 1,
  finishedAt: 2,
  appVersion: '0.1.0',
  onnxruntimeVersion: '1.22.0',
  devices: [],
};

describe('benchmark run', () => {
  it('follows a run from start through progress to its report', () => {
    const started = benchmarkStarted({ ...NO_BENCHMARK, failure: 'old' }, 'quick');
    expect(started.running).toEqual({ mode: 'quick', progress: null });
    expect(started.failure).toBeNull();
    expect(describeBenchmarkRun(started.running ?? { mode: 'quick', progress: null })).toMatch(/^Starting the quick/);
    const moving = benchmarkProgressed(started, progress);
    expect(describeBenchmarkRun(moving.running ?? { mode: 'quick', progress: null })).toBe(
      `Measuring ${progress.workload} on cpu (cpu): 40 %`,
    );
    expect(benchmarkFinished(moving, { outcome: 'completed', report })).toEqual({
      latest: report,
      running: null,
      failure: null,
    });
  });

  it('keeps the last report when a run fails, with the agent’s sentence', () => {
    const state = benchmarkFinished(
      { latest: report, running: { mode: 'full', progress: null }, failure: null },
      { outcome: 'failed', mode: 'full', code: 'benchmark.cancelled', message: 'The agent stopped.' },
    );
    expect(state).toEqual({ latest: report, running: null, failure: 'The agent stopped.' });
  });
});

describe('device settings', () => {
  const policy = {
    ...defaultSchedulerPolicy('UTC'),
    devices: { 'gpu:0': { enabled: false, maxThreads: null, temperatureLimitC: 80 } },
  };

  it('changes one device and keeps every other device’s settings', () => {
    expect(devicePatch(policy, 'cpu', { enabled: false })).toEqual({
      devices: {
        'gpu:0': { enabled: false, maxThreads: null, temperatureLimitC: 80 },
        cpu: { enabled: false, maxThreads: null, temperatureLimitC: null },
      },
    });
    expect(deviceSettings(policy, 'gpu:0').enabled).toBe(false);
  });

  it('sends the thread limit as typed: empty is all threads, a number is a number, anything else goes to the agent', () => {
    const threads = (text: string) =>
      (devicePatch(policy, 'cpu', { maxThreadsText: text }).devices as Record<string, { maxThreads: unknown }>).cpu
        ?.maxThreads;
    expect(threads('')).toBeNull();
    expect(threads(' 4 ')).toBe(4);
    expect(threads('four')).toBe('four');
  });

  it('sends the temperature limit as typed: empty is the default, a number is a number', () => {
    const limit = (text: string) =>
      (
        devicePatch(policy, 'gpu:0', { temperatureLimitText: text }).devices as Record<
          string,
          { temperatureLimitC: unknown }
        >
      )['gpu:0']?.temperatureLimitC;
    expect(limit('')).toBeNull();
    expect(limit('75')).toBe(75);
    expect(limit('hot')).toBe('hot');
    // The rest of the device's settings stay.
    expect(devicePatch(policy, 'gpu:0', { temperatureLimitText: '70' }).devices).toMatchObject({
      'gpu:0': { enabled: false, maxThreads: null, temperatureLimitC: 70 },
    });
  });
});

describe('controlledDevices', () => {
  it('names devices by the report’s ids and offers a temperature limit only where the agent reads one', () => {
    const gpu = (id: string, name: string, source: 'nvidia-smi' | 'lspci') => ({
      id,
      kind: 'gpu' as const,
      vendor: source === 'nvidia-smi' ? ('nvidia' as const) : ('intel' as const),
      name,
      memoryMb: null,
      driver: null,
      source,
      providers: [],
    });
    const view = {
      devices: {
        platform: 'linux-x64',
        onnxruntimeVersion: '1.30.0',
        cpu: {
          kind: 'cpu' as const,
          model: 'Example CPU',
          architecture: 'x64',
          physicalCores: 4,
          logicalThreads: 8,
          clockMhz: null,
          simd: [],
          peak: null,
          providers: ['cpu' as const],
        },
        // nvidia-smi index 1 only (index 0 hidden), and an integrated GPU lspci listed.
        gpus: [gpu('gpu:1', 'RTX 4090', 'nvidia-smi'), gpu('gpu:lspci-0', 'Intel UHD', 'lspci')],
        providers: [],
        notes: [],
        probeMs: 1,
      },
      isolation: null,
      probedAt: 1,
    };
    expect(controlledDevices(view)).toEqual([
      { id: 'cpu', kind: 'cpu', name: 'Example CPU', readsTemperature: false },
      { id: 'gpu:1', kind: 'gpu', name: 'RTX 4090', readsTemperature: true },
      { id: 'gpu:lspci-0', kind: 'gpu', name: 'Intel UHD', readsTemperature: false },
    ]);
  });
});
