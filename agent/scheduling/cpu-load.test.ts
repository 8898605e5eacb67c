import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { cpuPercentBetween, readCpuTimes } from './cpu-load.ts';

function cpu(user: number, idle: number): os.CpuInfo {
  return { model: 'test', speed: 1, times: { user, nice: 0, sys: 0, irq: 0, idle } };
}

describe('cpu load', () => {
  it('sums busy and total time over all cores', () => {
    expect(readCpuTimes([cpu(10, 90), cpu(30, 70)])).toEqual({ busy: 40, total: 200 });
  });

  it('gives the busy share of the time between two readings', () => {
    const before = readCpuTimes([cpu(10, 90), cpu(10, 90)]);
    const after = readCpuTimes([cpu(60, 140), cpu(10, 190)]);
    expect(cpuPercentBetween(before, after)).toBe(25);
  });

  it('is null when no time passed, and stays within 0-100 when counters misbehave', () => {
    const same = readCpuTimes([cpu(10, 90)]);
    expect(cpuPercentBetween(same, same)).toBeNull();
    expect(cpuPercentBetween({ busy: 50, total: 100 }, { busy: 40, total: 200 })).toBe(0);
  });

  it('reads this machine', () => {
    const now = readCpuTimes();
    expect(now.total).toBeGreaterThan(0);
    expect(now.busy).toBeLessThanOrEqual(now.total);
  });
});
