import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clockMhzFromSamples, measureClockMhz, PLAUSIBLE_CLOCK_MHZ } from './measure-clock.ts';

describe('clock from timed samples of the dependent chain', () => {
  it('takes the fastest sample, since other load only ever slows one down', () => {
    expect(
      clockMhzFromSamples([
        { operations: 4_000_000, nanoseconds: 2_000_000 },
        { operations: 4_000_000, nanoseconds: 1_250_000 },
        { operations: 4_000_000, nanoseconds: 5_000_000 },
      ]),
    ).toBe(3200);
  });

  it('ignores samples that timed nothing', () => {
    expect(
      clockMhzFromSamples([
        { operations: 4_000_000, nanoseconds: 0 },
        { operations: 0, nanoseconds: 1000 },
        { operations: 4_000_000, nanoseconds: 2_000_000 },
      ]),
    ).toBe(2000);
    expect(clockMhzFromSamples([])).toBeNull();
  });

  it('answers null rather than a clock no core runs at', () => {
    // 100 MHz: a chain left unoptimized, or a VM paused mid-sample; 40 GHz: work the compiler removed.
    expect(clockMhzFromSamples([{ operations: 1_000_000, nanoseconds: 10_000_000 }])).toBeNull();
    expect(clockMhzFromSamples([{ operations: 40_000_000, nanoseconds: 1_000_000 }])).toBeNull();
    expect(clockMhzFromSamples([{ operations: PLAUSIBLE_CLOCK_MHZ.max, nanoseconds: 1000 }])).toBe(
      PLAUSIBLE_CLOCK_MHZ.max,
    );
  });
});

describe('measuring the clock on this machine', () => {
  it('gives a plausible clock, at least the base clock a VM reports', async () => {
    const mhz = await measureClockMhz();
    expect(mhz).not.toBeNull();
    expect(mhz as number).toBeGreaterThanOrEqual(PLAUSIBLE_CLOCK_MHZ.min);
    expect(mhz as number).toBeLessThanOrEqual(PLAUSIBLE_CLOCK_MHZ.max);
    // Where the kernel gives no maximum (a VM), /proc/cpuinfo's figure is the base clock, which cores under load
    // reach or exceed; 10 % slack for a sibling thread's load.
    const cpuinfo = process.platform === 'linux' ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
    const base = Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo)?.[1]);
    if (!fs.existsSync('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq') && base > 0) {
      expect(mhz as number).toBeGreaterThan(base * 0.9);
    }
  });
});
