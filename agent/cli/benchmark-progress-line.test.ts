import { describe, expect, it } from 'vitest';
import { benchmarkProgressLine } from './benchmark-progress-line.ts';

describe('benchmarkProgressLine', () => {
  it('names the percentage, device, provider, workload and phase', () => {
    expect(
      benchmarkProgressLine({
        device: 'cpu',
        executionProvider: 'cpu',
        workload: 'gemm',
        phase: 'warmup',
        fraction: 0,
      }),
    ).toBe('  0 % cpu (cpu) gemm: warming up');
    expect(
      benchmarkProgressLine({
        device: 'gpu0',
        executionProvider: 'cuda',
        workload: 'silero-vad',
        phase: 'done',
        fraction: 1,
      }),
    ).toBe('100 % gpu0 (cuda) silero-vad: done');
  });

  it('never shows 100 % before the suite is done', () => {
    const line = benchmarkProgressLine({
      device: 'cpu',
      executionProvider: 'cpu',
      workload: 'memory',
      phase: 'measuring',
      fraction: 0.999,
    });
    expect(line.startsWith(' 99 %')).toBe(true);
  });
});
