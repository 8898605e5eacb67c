import { describe, expect, it } from 'vitest';
import type { BenchmarkHistory } from '../../../agent/local-api/contract.ts';
import { historiesByDevice, sparklinePoints } from './benchmark-history.ts';

const history: BenchmarkHistory = [
  {
    runId: 3,
    mode: 'full',
    startedAt: 290,
    finishedAt: 300,
    scores: [
      { device: 'cpu', executionProvider: 'cpu', score: 120 },
      { device: 'gpu:0', executionProvider: 'cuda', score: 900 },
    ],
  },
  {
    runId: 2,
    mode: 'quick',
    startedAt: 190,
    finishedAt: 200,
    scores: [{ device: 'cpu', executionProvider: 'cpu', score: null }],
  },
  {
    runId: 1,
    mode: 'quick',
    startedAt: 90,
    finishedAt: 100,
    scores: [{ device: 'cpu', executionProvider: 'cpu', score: 60 }],
  },
];

describe('historiesByDevice', () => {
  it('groups the runs per device and runtime, oldest first', () => {
    expect(historiesByDevice(history)).toEqual([
      {
        device: 'cpu',
        executionProvider: 'cpu',
        runs: [
          { runId: 1, finishedAt: 100, mode: 'quick', score: 60 },
          { runId: 2, finishedAt: 200, mode: 'quick', score: null },
          { runId: 3, finishedAt: 300, mode: 'full', score: 120 },
        ],
      },
      { device: 'gpu:0', executionProvider: 'cuda', runs: [{ runId: 3, finishedAt: 300, mode: 'full', score: 900 }] },
    ]);
    expect(historiesByDevice([])).toEqual([]);
  });
});

describe('sparklinePoints', () => {
  it('spaces runs evenly, scales to the highest score, and leaves a gap for a run without a score', () => {
    const [cpu] = historiesByDevice(history);
    expect(sparklinePoints(cpu?.runs ?? [], 100, 20)).toEqual(['0,10', '100,0']);
    const steady = [60, 90, 120].map((score, index) => ({
      runId: index,
      finishedAt: index,
      mode: 'quick' as const,
      score,
    }));
    expect(sparklinePoints(steady, 100, 20)).toEqual(['0,10 50,5 100,0']);
  });

  it('draws nothing with fewer than two scores', () => {
    expect(sparklinePoints([], 100, 20)).toEqual([]);
    expect(sparklinePoints([{ runId: 1, finishedAt: 1, mode: 'quick', score: 5 }], 100, 20)).toEqual([]);
  });
});
