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
import { devicePatch, deviceSettings, gpuDeviceId } from './device-settings.ts';

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
    devices: { [gpuDeviceId(0)]: { enabled: false, maxThreads: null, temperatureLimitC: 80 } },
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
});
