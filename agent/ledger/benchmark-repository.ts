/**
 * Benchmark runs in the ledger (migration 5): the whole report as JSON, and
 * each device's composite score as a row of its own. Reports are validated by
 * their schema on the way in and on the way out, so a hand-edited row reads
 * as absent rather than as wrong numbers.
 */
import { type BenchmarkReport, BenchmarkReportSchema } from '../../native/benchmark/benchmark-report.ts';
import { type BenchmarkHistory, BenchmarkHistoryRunSchema } from '../compute/compute-views.ts';
import type { LedgerDatabase } from './open-ledger.ts';

export class BenchmarkRepository {
  readonly #db: LedgerDatabase;

  constructor(db: LedgerDatabase) {
    this.#db = db;
  }

  /** Stores a run and returns its id. */
  save(report: BenchmarkReport): number {
    const checked = BenchmarkReportSchema.parse(report);
    return this.#db.transaction(() => {
      const { lastInsertRowid } = this.#db
        .prepare('INSERT INTO benchmark_runs (started_at, finished_at, mode, report_json) VALUES (?, ?, ?, ?)')
        .run(checked.startedAt, checked.finishedAt, checked.mode, JSON.stringify(checked));
      const insertScore = this.#db.prepare(
        'INSERT INTO benchmark_scores (run_id, device, execution_provider, score) VALUES (?, ?, ?, ?)',
      );
      for (const device of checked.devices) {
        insertScore.run(lastInsertRowid, device.device, device.executionProvider, device.score);
      }
      return Number(lastInsertRowid);
    })();
  }

  /** The most recent run, or null when the machine was never benchmarked. */
  latest(): BenchmarkReport | null {
    const row = this.#db
      .prepare('SELECT report_json FROM benchmark_runs ORDER BY finished_at DESC, id DESC LIMIT 1')
      .get() as { report_json: string } | undefined;
    if (row === undefined) return null;
    const parsed = BenchmarkReportSchema.safeParse(JSON.parse(row.report_json));
    return parsed.success ? parsed.data : null;
  }

  /** The latest composite score of each device and execution provider. */
  latestScores(): { device: string; executionProvider: string; score: number | null }[] {
    return this.#db
      .prepare(
        `SELECT s.device AS device, s.execution_provider AS executionProvider, s.score AS score
         FROM benchmark_scores s
         WHERE s.run_id = (SELECT id FROM benchmark_runs ORDER BY finished_at DESC, id DESC LIMIT 1)
         ORDER BY s.device, s.execution_provider`,
      )
      .all() as { device: string; executionProvider: string; score: number | null }[];
  }

  /** The newest `limit` runs with each device's score, newest first (the Devices screen's history). */
  history(limit: number): BenchmarkHistory {
    const runs = this.#db
      .prepare(
        'SELECT id, mode, started_at, finished_at FROM benchmark_runs ORDER BY finished_at DESC, id DESC LIMIT ?',
      )
      .all(limit) as { id: number; mode: string; started_at: number; finished_at: number }[];
    const scores = this.#db.prepare(
      'SELECT device, execution_provider AS executionProvider, score FROM benchmark_scores WHERE run_id = ? ORDER BY device, execution_provider',
    );
    // Each run is validated like a report: a hand-edited row reads as absent rather than as wrong figures.
    return runs.flatMap((run) => {
      const parsed = BenchmarkHistoryRunSchema.safeParse({
        runId: run.id,
        mode: run.mode,
        startedAt: run.started_at,
        finishedAt: run.finished_at,
        scores: scores.all(run.id),
      });
      return parsed.success ? [parsed.data] : [];
    });
  }
}
