/**
 * A benchmark report as `idlehive benchmark` prints it for people: one block
 * per device, one line per workload, unstable results said as such.
 */
import type { BenchmarkReport, WorkloadResult } from './benchmark-report.ts';

function figure(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function workloadLine(result: WorkloadResult): string {
  const latency = `p50 ${figure(result.p50Ms)} ms, p95 ${figure(result.p95Ms)} ms, CV ${(result.cv * 100).toFixed(1)} %`;
  if (result.throughput === null) return `  ${result.label}: ${result.note ?? 'unstable'} (${latency})`;
  const peak = result.peakFraction === null ? '' : `, ${(result.peakFraction * 100).toFixed(0)} % of peak`;
  return `  ${result.label}: ${figure(result.throughput)} ${result.unit}${peak} (${latency}, ${result.runs} runs)`;
}

export function formatBenchmark(report: BenchmarkReport): string {
  const seconds = ((report.finishedAt - report.startedAt) / 1000).toFixed(0);
  const lines = [`Benchmark (${report.mode}, ${seconds} s, onnxruntime ${report.onnxruntimeVersion}):`];
  for (const device of report.devices) {
    const score =
      device.score === null ? 'no score (fewer than 3 stable workloads)' : `score ${device.score.toFixed(0)}`;
    lines.push(`${device.device} ${device.name} on ${device.executionProvider}, ${device.threads} threads: ${score}`);
    for (const result of device.workloads) lines.push(workloadLine(result));
  }
  return lines.join('\n');
}
