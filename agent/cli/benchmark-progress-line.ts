/**
 * One line of benchmark progress for a terminal, the same whether the run is
 * in this process or in the agent.
 */
import type { BenchmarkProgressEvent } from '../compute/compute-views.ts';

const PHASE_WORDS: Readonly<Record<BenchmarkProgressEvent['phase'], string>> = {
  loading: 'loading',
  warmup: 'warming up',
  measuring: 'measuring',
  done: 'done',
};

export function benchmarkProgressLine(progress: Omit<BenchmarkProgressEvent, 'mode'>): string {
  const percent = Math.floor(progress.fraction * 100);
  return `${String(percent).padStart(3)} % ${progress.device} (${progress.executionProvider}) ${progress.workload}: ${PHASE_WORDS[progress.phase]}`;
}
