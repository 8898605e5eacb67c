import { describe, expect, it } from 'vitest';
import { estimatePeak, parseProcCpuinfo, simdFeatures } from './cpu-info.ts';

const X86 = `processor\t: 0
model name\t: Intel(R) Core(TM) i7-12700
cpu MHz\t\t: 3600.000
physical id\t: 0
core id\t\t: 0
flags\t\t: fpu sse4_2 avx avx2 fma

processor\t: 1
model name\t: Intel(R) Core(TM) i7-12700
cpu MHz\t\t: 3600.000
physical id\t: 0
core id\t\t: 0
flags\t\t: fpu sse4_2 avx avx2 fma

processor\t: 2
physical id\t: 0
core id\t\t: 1
flags\t\t: fpu sse4_2 avx avx2 fma
`;

const ARM = `processor\t: 0
BogoMIPS\t: 48.00
Features\t: fp asimd evtstrm aes sve

processor\t: 1
Features\t: fp asimd evtstrm aes sve
`;

describe('cpu info', () => {
  it('counts hyper-threads once per physical core', () => {
    const parsed = parseProcCpuinfo(X86);
    expect(parsed).toMatchObject({
      model: 'Intel(R) Core(TM) i7-12700',
      physicalCores: 2,
      logicalThreads: 3,
      clockMhz: 3600,
    });
    expect(simdFeatures(parsed.flags, 'x64')).toEqual(['sse4.2', 'avx', 'avx2', 'fma']);
  });

  it('reads ARM features, where the kernel lists no cores', () => {
    const parsed = parseProcCpuinfo(ARM);
    expect(parsed.physicalCores).toBeNull();
    expect(parsed.logicalThreads).toBe(2);
    expect(simdFeatures(parsed.flags, 'arm64')).toEqual(['neon', 'sve']);
  });

  it('estimates the peak from cores, clock and the widest FMA unit, and says how', () => {
    const peak = estimatePeak({ cores: 8, clockMhz: 3000, clockSource: 'test', simd: ['avx', 'avx2', 'fma'] });
    expect(peak?.gflops).toBe(8 * 3 * 32);
    expect(peak?.method).toMatch(/8 cores x 3\.00 GHz \(test\) x 32 FP32 FLOP\/cycle/);
    expect(estimatePeak({ cores: 4, clockMhz: 2000, clockSource: 'test', simd: ['avx512f'] })?.gflops).toBe(512);
    expect(estimatePeak({ cores: 4, clockMhz: null, clockSource: 'unknown', simd: [] })).toBeNull();
  });
});
