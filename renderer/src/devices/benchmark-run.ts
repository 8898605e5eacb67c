/**
 * A benchmark run as the dashboard follows it: started by the owner (or by
 * another client, seen through its progress events), moved on by each
 * `benchmark.progress`, ended by `benchmark.finished`. Pure, so the reducer
 * stays a switch and this is tested on its own.
 */
import type {
  BenchmarkFinishedEvent,
  BenchmarkProgressEvent,
  BenchmarkReport,
} from '../../../agent/local-api/contract.ts';

export type BenchmarkMode = BenchmarkProgressEvent['mode'];

export interface BenchmarkRunView {
  mode: BenchmarkMode;
  /** The newest progress event; null until the first one. */
  progress: BenchmarkProgressEvent | null;
}

export interface BenchmarkState {
  /** The newest stored report (null: never benchmarked, or not asked yet). */
  latest: BenchmarkReport | null;
  /** The run in progress, or null. */
  running: BenchmarkRunView | null;
  /** Why the last run failed, in the agent's words; cleared by the next run. */
  failure: string | null;
}

export const NO_BENCHMARK: BenchmarkState = { latest: null, running: null, failure: null };

export function benchmarkStarted(state: BenchmarkState, mode: BenchmarkMode): BenchmarkState {
  return { ...state, running: { mode, progress: state.running?.progress ?? null }, failure: null };
}

export function benchmarkProgressed(state: BenchmarkState, progress: BenchmarkProgressEvent): BenchmarkState {
  return { ...state, running: { mode: progress.mode, progress }, failure: null };
}

export function benchmarkFinished(state: BenchmarkState, finished: BenchmarkFinishedEvent): BenchmarkState {
  return finished.outcome === 'completed'
    ? { latest: finished.report, running: null, failure: null }
    : { ...state, running: null, failure: finished.message };
}

/** Whole percent of the suite done, for the progress bar's text. */
export function benchmarkPercent(run: BenchmarkRunView): number {
  return Math.round((run.progress?.fraction ?? 0) * 100);
}

const PHASE_WORDS: Record<BenchmarkProgressEvent['phase'], string> = {
  loading: 'loading',
  warmup: 'warming up',
  measuring: 'measuring',
  done: 'done',
};

/** "Measuring matmul-512 on cpu (cpu): 40 %", or the wait for the first report. */
export function describeBenchmarkRun(run: BenchmarkRunView): string {
  const { progress } = run;
  if (progress === null) return `Starting the ${run.mode} benchmark (running jobs stop first)…`;
  const phase = PHASE_WORDS[progress.phase];
  return `${phase.charAt(0).toUpperCase()}${phase.slice(1)} ${progress.workload} on ${progress.device} (${progress.executionProvider}): ${benchmarkPercent(run)} %`;
}
