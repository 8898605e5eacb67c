import { describe, expect, it } from 'vitest';
import { deviceHeat, HEAT_RESUME_MARGIN_C, updateHotDevices } from './heat-latch.ts';
import { CPU, GPU, policyWith } from './test-fixtures.ts';

const policy = policyWith({ devices: { 'gpu:0': { temperatureLimitC: 80 } } });
const gpuAt = (temperatureC: number | null) => ({ ...GPU, temperatureC });

describe('updateHotDevices', () => {
  it('latches a device above its limit, not at it', () => {
    expect(updateHotDevices([], [gpuAt(80)], policy)).toEqual([]);
    expect(updateHotDevices([], [gpuAt(80.5)], policy)).toEqual(['gpu:0']);
  });

  it('keeps it resting until it is 10 °C below the limit', () => {
    expect(updateHotDevices(['gpu:0'], [gpuAt(79)], policy)).toEqual(['gpu:0']);
    expect(updateHotDevices(['gpu:0'], [gpuAt(70.1)], policy)).toEqual(['gpu:0']);
    expect(updateHotDevices(['gpu:0'], [gpuAt(80 - HEAT_RESUME_MARGIN_C)], policy)).toEqual([]);
  });

  it('keeps a resting device resting while it gives no reading', () => {
    expect(updateHotDevices(['gpu:0'], [gpuAt(null)], policy)).toEqual(['gpu:0']);
  });

  it('uses the default limit per kind (CPU 90 °C)', () => {
    expect(updateHotDevices([], [{ ...CPU, temperatureC: 89 }], policy)).toEqual([]);
    expect(updateHotDevices([], [{ ...CPU, temperatureC: 91 }], policy)).toEqual(['cpu']);
  });

  it('keeps the latch of a device that disappeared, sorted', () => {
    expect(updateHotDevices(['gpu:1', 'cpu'], [gpuAt(90)], policy)).toEqual(['cpu', 'gpu:0', 'gpu:1']);
  });
});

describe('deviceHeat', () => {
  it('is cooling while latched, naming the resume temperature', () => {
    expect(deviceHeat(gpuAt(85), policy, ['gpu:0'])).toEqual({ kind: 'cooling', temperatureC: 85, resumeAtC: 70 });
  });

  it('is unreadable when the device reports temperatures but gave none', () => {
    expect(deviceHeat(gpuAt(null), policy, [])).toEqual({ kind: 'unreadable' });
  });

  it('is ok for a device that never reports temperatures', () => {
    expect(deviceHeat({ ...CPU, reportsTemperature: false, temperatureC: null }, policy, [])).toEqual({ kind: 'ok' });
  });
});
