import { describe, expect, it } from 'vitest';
import type { BenchmarkReport } from '../../native/benchmark/benchmark-report.ts';
import { tempLedgers } from '../../test/support/temp-ledger.ts';
import { BenchmarkRepository } from './benchmark-repository.ts';

const ledger = tempLedgers('idlehive-bench-ledger-');

function report(finishedAt: number, score: number | null): BenchmarkReport {
  return {
    mode: 'quick',
    startedAt: finishedAt - 20_000,
    finishedAt,
    appVersion: '0.1.0',
    onnxruntimeVersion: '1.30.0',
    devices: [
      {
        device: 'cpu',
        name: 'Test CPU',
        executionProvider: 'cpu',
        threads: 4,
        score,
        workloads: [
          {
            workload: 'gemm',
            label: 'GEMM chain',
            unit: 'GFLOP/s',
            throughput: score === null ? null : 120,
            p50Ms: 10,
            p95Ms: 12,
            cv: score === null ? 0.3 : 0.02,
            runs: 50,
            stable: score !== null,
            peakFraction: score === null ? null : 0.4,
            note: score === null ? 'unstable' : null,
          },
        ],
      },
    ],
  };
}

describe('benchmark repository', () => {
  it('stores runs and reads back the latest report and scores', () => {
    const repository = new BenchmarkRepository(ledger());
    expect(repository.latest()).toBeNull();
    repository.save(report(1000, 80));
    repository.save(report(2000, null));
    expect(repository.latest()).toEqual(report(2000, null));
    expect(repository.latestScores()).toEqual([{ device: 'cpu', executionProvider: 'cpu', score: null }]);
  });

  it('lists the newest runs first with each device’s score, and skips a hand-edited row', () => {
    const db = ledger();
    const repository = new BenchmarkRepository(db);
    expect(repository.history(10)).toEqual([]);
    const first = repository.save(report(100_000, 80));
    const second = repository.save(report(300_000, 95.5));
    const third = repository.save(report(200_000, null));
    expect(repository.history(10)).toEqual([
      {
        runId: second,
        mode: 'quick',
        startedAt: 280_000,
        finishedAt: 300_000,
        scores: [{ device: 'cpu', executionProvider: 'cpu', score: 95.5 }],
      },
      {
        runId: third,
        mode: 'quick',
        startedAt: 180_000,
        finishedAt: 200_000,
        scores: [{ device: 'cpu', executionProvider: 'cpu', score: null }],
      },
      {
        runId: first,
        mode: 'quick',
        startedAt: 80_000,
        finishedAt: 100_000,
        scores: [{ device: 'cpu', executionProvider: 'cpu', score: 80 }],
      },
    ]);
    expect(repository.history(1).map((run) => run.runId)).toEqual([second]);
    db.prepare('UPDATE benchmark_scores SET score = -1 WHERE run_id = ?').run(second);
    expect(repository.history(10).map((run) => run.runId)).toEqual([third, first]);
  });

  it('refuses a report that does not match its schema, storing nothing', () => {
    const repository = new BenchmarkRepository(ledger());
    expect(() => repository.save({ ...report(1000, 80), mode: 'turbo' } as never)).toThrow();
    expect(repository.latest()).toBeNull();
  });
});
