import { describe, expect, it } from 'vitest';
import { parseNvidiaTemperatures } from './gpu-temperatures.ts';

describe('parseNvidiaTemperatures', () => {
  it('reads one GPU per line with its index as the device id', () => {
    expect(parseNvidiaTemperatures('0, NVIDIA GeForce RTX 4090, 64\n1, NVIDIA RTX A4000, 41\n')).toEqual([
      {
        id: 'gpu:0',
        kind: 'gpu',
        name: 'NVIDIA GeForce RTX 4090',
        threads: null,
        reportsTemperature: true,
        temperatureC: 64,
      },
      { id: 'gpu:1', kind: 'gpu', name: 'NVIDIA RTX A4000', threads: null, reportsTemperature: true, temperatureC: 41 },
    ]);
  });

  it('keeps a GPU without a reading as reporting but unknown, never as cool', () => {
    expect(parseNvidiaTemperatures('0, Tesla T4, [N/A]')[0]).toMatchObject({
      reportsTemperature: true,
      temperatureC: null,
    });
  });

  it('skips lines that are not GPU rows', () => {
    expect(parseNvidiaTemperatures('No devices were found\n\n, , \n-1, x, 30')).toEqual([]);
  });
});
