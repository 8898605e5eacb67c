import { describe, expect, it } from 'vitest';
import { allowDevices } from './allowed-devices.ts';
import { CPU, GPU, policyWith } from './test-fixtures.ts';

describe('allowDevices', () => {
  it('full mode uses every enabled device, the CPU on all its threads', () => {
    expect(allowDevices('full', policyWith(), [CPU, GPU], [])).toEqual({
      allowed: [
        { id: 'cpu', kind: 'cpu', maxThreads: 8 },
        { id: 'gpu:0', kind: 'gpu', maxThreads: null },
      ],
      heldBackForHeat: [],
      enabledCount: 2,
    });
  });

  it('applies the CPU thread limit, never above the threads the CPU has', () => {
    expect(allowDevices('full', policyWith({ devices: { cpu: { maxThreads: 4 } } }), [CPU], []).allowed).toEqual([
      { id: 'cpu', kind: 'cpu', maxThreads: 4 },
    ]);
    expect(allowDevices('full', policyWith({ devices: { cpu: { maxThreads: 64 } } }), [CPU], []).allowed).toEqual([
      { id: 'cpu', kind: 'cpu', maxThreads: 8 },
    ]);
  });

  it('leaves the CPU unlimited when neither the policy nor the probe gives a number', () => {
    expect(allowDevices('full', policyWith(), [{ ...CPU, threads: null }], []).allowed).toEqual([
      { id: 'cpu', kind: 'cpu', maxThreads: null },
    ]);
  });

  it('light mode uses the CPU alone on the light-mode threads', () => {
    const policy = policyWith({ lightMode: { enabled: true, cpuThreads: 3 } });
    expect(allowDevices('light', policy, [CPU, GPU], []).allowed).toEqual([{ id: 'cpu', kind: 'cpu', maxThreads: 3 }]);
    const tight = policyWith({ lightMode: { enabled: true, cpuThreads: 3 }, devices: { cpu: { maxThreads: 2 } } });
    expect(allowDevices('light', tight, [CPU, GPU], []).allowed).toEqual([{ id: 'cpu', kind: 'cpu', maxThreads: 2 }]);
  });

  it('leaves out turned-off devices and does not count them', () => {
    const allowance = allowDevices('full', policyWith({ devices: { 'gpu:0': { enabled: false } } }), [CPU, GPU], []);
    expect(allowance.allowed.map((device) => device.id)).toEqual(['cpu']);
    expect(allowance.enabledCount).toBe(1);
  });

  it('holds back resting and unreadable devices, saying why', () => {
    const allowance = allowDevices('full', policyWith(), [{ ...CPU, temperatureC: null }, GPU], ['gpu:0']);
    expect(allowance.allowed).toEqual([]);
    expect(allowance.heldBackForHeat.map((held) => [held.device.id, held.heat.kind])).toEqual([
      ['cpu', 'unreadable'],
      ['gpu:0', 'cooling'],
    ]);
    expect(allowance.enabledCount).toBe(2);
  });
});
