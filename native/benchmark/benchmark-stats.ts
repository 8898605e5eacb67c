/**
 * The statistics of a benchmark workload, as pure functions of what the
 * worker measured: per-run latencies (for p50/p95) and rounds of runs (each
 * round one throughput sample, for the coefficient of variation). A workload
 * whose rounds disagree by more than the allowed CV is marked unstable and
 * gets no throughput figure, rather than a noisy one.
 */

/** The p-th percentile (0..100) of values, interpolating between ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (rank - low);
}

/** Sample standard deviation over the mean; 0 for fewer than two values. */
export function coefficientOfVariation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / mean;
}

export interface Round {
  /** Each run's time inside onnxruntime, in ms, as the worker measured it. */
  readonly runMs: readonly number[];
}

export interface WorkloadSummary {
  /** Work per second over all measured runs; null when the rounds are too noisy to trust. */
  readonly throughput: number | null;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly cv: number;
  readonly runs: number;
  readonly isStable: boolean;
}

export function summarizeRounds(rounds: readonly Round[], workPerRun: number, maxCv: number): WorkloadSummary {
  const runMs = rounds.flatMap((round) => round.runMs);
  if (runMs.length === 0) throw new RangeError('no measured runs');
  const perRound = rounds
    .filter((round) => round.runMs.length > 0)
    .map((round) => (workPerRun * round.runMs.length * 1000) / round.runMs.reduce((sum, ms) => sum + ms, 0));
  const cv = coefficientOfVariation(perRound);
  const totalMs = runMs.reduce((sum, ms) => sum + ms, 0);
  const isStable = cv <= maxCv;
  return {
    throughput: isStable ? (workPerRun * runMs.length * 1000) / totalMs : null,
    p50Ms: percentile(runMs, 50),
    p95Ms: percentile(runMs, 95),
    cv,
    runs: runMs.length,
    isStable,
  };
}

/** 100 x the geometric mean of throughput / reference over the stable workloads; null with fewer than three. */
export function compositeScore(results: readonly { throughput: number | null; reference: number }[]): number | null {
  const stable = results.filter((result) => result.throughput !== null && result.throughput > 0);
  if (stable.length < 3) return null;
  const logSum = stable.reduce((sum, result) => sum + Math.log((result.throughput as number) / result.reference), 0);
  return 100 * Math.exp(logSum / stable.length);
}
