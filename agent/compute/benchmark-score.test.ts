import { describe, expect, it } from 'vitest';
import type { BenchmarkReport, DeviceBenchmark } from '../../native/benchmark/benchmark-report.ts';
import { cpuBenchmarkScore } from './benchmark-score.ts';

function device(patch: Partial<DeviceBenchmark>): DeviceBenchmark {
  return { device: 'cpu', name: 'Test CPU', executionProvider: 'cpu', threads: 4, workloads: [], score: 120, ...patch };
}

function report(devices: DeviceBenchmark[]): BenchmarkReport {
  return { mode: 'quick', startedAt: 1, finishedAt: 2, appVersion: '0.0.0', onnxruntimeVersion: '1.0.0', devices };
}

describe('cpuBenchmarkScore', () => {
  it('is null before any benchmark', () => {
    expect(cpuBenchmarkScore(null)).toBeNull();
  });

  it("is the CPU's composite score on the cpu provider, whatever the GPUs scored", () => {
    const measured = report([
      device({ device: 'gpu0', name: 'GPU', executionProvider: 'webgpu', score: 900 }),
      device({ score: 87.5 }),
    ]);
    expect(cpuBenchmarkScore(measured)).toBe(87.5);
  });

  it('is null when the CPU was too unstable to score or was not measured', () => {
    expect(cpuBenchmarkScore(report([device({ score: null })]))).toBeNull();
    expect(cpuBenchmarkScore(report([device({ device: 'gpu0', executionProvider: 'cuda' })]))).toBeNull();
  });
});
