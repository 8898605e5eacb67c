/**
 * The CPU as the OS describes it, parsed by pure functions (the probe reads
 * the files and runs the tools), and its estimated FP32 peak:
 *   physical cores x clock x FLOPs per cycle per core,
 * where FLOPs per cycle assume two FMA pipes of the widest vector unit the
 * CPU reports (AVX-512: 2 x 16 lanes x 2 = 64; AVX2+FMA: 32; AVX: 16; SSE: 8;
 * NEON: 2 x 4 x 2 = 16). It is an upper bound to compare measurements with,
 * which is why the method travels with the number.
 */
import type { PeakEstimate, SIMD_FEATURES } from './device-report.ts';

type SimdFeature = (typeof SIMD_FEATURES)[number];

export interface ParsedCpuinfo {
  readonly model: string | null;
  readonly flags: ReadonlySet<string>;
  /** Distinct (physical id, core id) pairs; null where the kernel does not list them (most ARM). */
  readonly physicalCores: number | null;
  readonly logicalThreads: number;
  readonly clockMhz: number | null;
}

/** Linux /proc/cpuinfo, x86 ("flags", "model name") and ARM ("Features", "CPU part"). */
export function parseProcCpuinfo(text: string): ParsedCpuinfo {
  const processors = text.split(/\n\s*\n/).filter((block) => /^processor\s*:/m.test(block));
  const field = (block: string, name: string) =>
    new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(block)?.[1]?.trim() ?? null;
  const first = processors[0] ?? text;
  const flags = new Set((field(first, 'flags') ?? field(first, 'Features') ?? '').split(/\s+/).filter(Boolean));
  const cores = new Set<string>();
  for (const block of processors) {
    const physical = field(block, 'physical id');
    const core = field(block, 'core id');
    if (physical !== null && core !== null) cores.add(`${physical}:${core}`);
  }
  const mhz = Number(field(first, 'cpu MHz'));
  return {
    model: field(first, 'model name') ?? field(first, 'Model') ?? field(first, 'Hardware'),
    flags,
    physicalCores: cores.size > 0 ? cores.size : null,
    logicalThreads: Math.max(1, processors.length),
    clockMhz: Number.isFinite(mhz) && mhz > 0 ? mhz : null,
  };
}

/** The SIMD features we report, from kernel flags (x86 names, ARM "asimd"/"sve") or the architecture. */
export function simdFeatures(flags: ReadonlySet<string>, architecture: string): SimdFeature[] {
  const found: SimdFeature[] = [];
  const has = (flag: string) => flags.has(flag);
  if (has('sse4_2')) found.push('sse4.2');
  if (has('avx')) found.push('avx');
  if (has('avx2')) found.push('avx2');
  if (has('fma')) found.push('fma');
  if (has('avx512f')) found.push('avx512f');
  if (has('avx512_bf16')) found.push('avx512_bf16');
  if (has('avx512_vnni')) found.push('avx512_vnni');
  if (has('amx_tile')) found.push('amx');
  // NEON is mandatory on 64-bit ARM; the kernel calls it asimd.
  if (has('asimd') || has('neon') || architecture === 'arm64') found.push('neon');
  if (has('sve')) found.push('sve');
  return found;
}

function flopsPerCycle(simd: readonly SimdFeature[]): { flops: number; unit: string } {
  if (simd.includes('avx512f')) return { flops: 64, unit: 'AVX-512: 2 FMA pipes x 16 lanes x 2' };
  if (simd.includes('avx2') && simd.includes('fma')) return { flops: 32, unit: 'AVX2: 2 FMA pipes x 8 lanes x 2' };
  if (simd.includes('avx')) return { flops: 16, unit: 'AVX: 8-lane add + 8-lane multiply' };
  if (simd.includes('neon')) return { flops: 16, unit: 'NEON: 2 FMA pipes x 4 lanes x 2' };
  return { flops: 8, unit: 'SSE: 4-lane add + 4-lane multiply' };
}

export function estimatePeak(input: {
  cores: number;
  clockMhz: number | null;
  clockSource: string;
  simd: readonly SimdFeature[];
}): PeakEstimate | null {
  if (input.clockMhz === null || input.cores < 1) return null;
  const { flops, unit } = flopsPerCycle(input.simd);
  const ghz = input.clockMhz / 1000;
  const gflops = input.cores * ghz * flops;
  return {
    gflops,
    method: `${input.cores} cores x ${ghz.toFixed(2)} GHz (${input.clockSource}) x ${flops} FP32 FLOP/cycle (${unit}) = ${gflops.toFixed(1)} GFLOP/s`,
  };
}
