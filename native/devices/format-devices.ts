/**
 * The device report and the job isolation status as `idlehive devices` prints
 * them for people.
 */
import type { IsolationReport } from '../sandbox/isolation-report.ts';
import type { DeviceReport } from './device-report.ts';

export function formatDevices(report: DeviceReport, isolation: IsolationReport | null): string {
  const { cpu } = report;
  const clock = cpu.clockMhz === null ? 'clock unknown' : `${(cpu.clockMhz / 1000).toFixed(2)} GHz`;
  const lines = [
    `CPU  ${cpu.model} (${cpu.architecture}): ${cpu.physicalCores} cores, ${cpu.logicalThreads} threads, ${clock}`,
    `     SIMD: ${cpu.simd.join(' ') || 'none reported'}`,
    `     Estimated peak FP32: ${cpu.peak ? cpu.peak.method : 'unknown (the OS does not report a clock)'}`,
    `     Execution providers: ${cpu.providers.join(', ') || 'none'}`,
  ];
  if (report.gpus.length === 0) lines.push('GPU  none found');
  for (const gpu of report.gpus) {
    const memory = gpu.memoryMb === null ? 'memory unknown' : `${(gpu.memoryMb / 1024).toFixed(1)} GB`;
    const driver = gpu.driver === null ? '' : `, driver ${gpu.driver}`;
    lines.push(`GPU  ${gpu.name} (${gpu.vendor}, ${memory}${driver}; from ${gpu.source})`);
    lines.push(`     Execution providers: ${gpu.providers.join(', ') || 'none usable'}`);
  }
  lines.push(`onnxruntime ${report.onnxruntimeVersion} execution providers:`);
  for (const check of report.providers) {
    lines.push(`  ${check.provider.padEnd(7)} ${check.usable ? 'usable' : `not usable: ${check.reason}`}`);
  }
  if (report.notes.length > 0) lines.push(`Notes: ${report.notes.join('; ')}.`);
  if (isolation !== null) {
    lines.push('Job isolation:');
    for (const line of isolation.statusLines) lines.push(`  ${line}`);
  }
  return lines.join('\n');
}
