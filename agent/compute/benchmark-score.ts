/**
 * The figure the network sees for this computer's CPU: the composite score of
 * the newest stored benchmark (100 is the reference laptop CPU). The profile's
 * field is named benchmarkGflops, but what the coordinator needs is one number
 * that compares providers, and the composite is that number; a single GEMM
 * figure would favour CPUs that are only good at GEMM.
 */
import type { BenchmarkReport } from '../../native/benchmark/benchmark-report.ts';

/** The CPU's score on the cpu execution provider; null when never benchmarked or too unstable to score. */
export function cpuBenchmarkScore(report: BenchmarkReport | null): number | null {
  const cpu = report?.devices.find((device) => device.device === 'cpu' && device.executionProvider === 'cpu');
  return cpu?.score ?? null;
}
