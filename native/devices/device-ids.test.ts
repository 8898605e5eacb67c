import { describe, expect, it } from 'vitest';
import { parseNvidiaTemperatures } from '../../agent/scheduling/gpu-temperatures.ts';
import { hasTemperatureReading, listedGpuId, nvidiaGpuId, nvidiaIndexOf } from './device-ids.ts';
import { parseLspci, parseNvidiaSmi } from './gpu-info.ts';

/** What `nvidia-smi` prints for the probe's and the sampler's queries on one machine with two cards. */
const PROBE_CSV = '0, NVIDIA GeForce RTX 3060, 12288, 550.54.14\n1, NVIDIA GeForce RTX 4090, 24564, 550.54.14\n';
const TEMPERATURE_CSV = '0, NVIDIA GeForce RTX 3060, 51\n1, NVIDIA GeForce RTX 4090, 77\n';

describe('one id per device, shared by the device report and the temperature sampler', () => {
  it('names each NVIDIA GPU the same in the probe and in the sampler', () => {
    const probed = parseNvidiaSmi(PROBE_CSV).map((gpu) => [gpu.id, gpu.name]);
    const sampled = parseNvidiaTemperatures(TEMPERATURE_CSV).map((gpu) => [gpu.id, gpu.name]);
    expect(probed).toEqual(sampled);
    expect(probed).toEqual([
      ['gpu:0', 'NVIDIA GeForce RTX 3060'],
      ['gpu:1', 'NVIDIA GeForce RTX 4090'],
    ]);
  });

  it('takes the index nvidia-smi prints, not the line’s position', () => {
    // A driver restricted by CUDA_VISIBLE_DEVICES-like settings or a card gone missing leaves gaps.
    const probed = parseNvidiaSmi('2, Tesla T4, 15360, 535.1\n');
    const sampled = parseNvidiaTemperatures('2, Tesla T4, 40\n');
    expect(probed.map((gpu) => gpu.id)).toEqual(['gpu:2']);
    expect(sampled.map((gpu) => gpu.id)).toEqual(['gpu:2']);
  });

  it('never gives a GPU only lspci listed an id the sampler could read as an NVIDIA index', () => {
    // lspci lists the integrated Intel GPU first; its position must not become gpu:0.
    const lspci = parseLspci(
      [
        '00:02.0 "VGA compatible controller [0300]" "Intel Corporation [8086]" "Alder Lake-S GT1 [4680]" -r0c "" ""',
        '01:00.0 "VGA compatible controller [0300]" "NVIDIA Corporation [10de]" "GA106 [2504]" -ra1 "" ""',
      ].join('\n'),
    );
    const sampledIds = new Set(parseNvidiaTemperatures('0, NVIDIA GeForce RTX 3060, 51\n').map((gpu) => gpu.id));
    for (const gpu of lspci) {
      expect(sampledIds.has(gpu.id)).toBe(false);
      expect(hasTemperatureReading(gpu.id)).toBe(false);
    }
  });

  it('reads the index back only from NVIDIA ids', () => {
    expect(nvidiaIndexOf(nvidiaGpuId(3))).toBe(3);
    expect(nvidiaIndexOf('cpu')).toBeNull();
    expect(nvidiaIndexOf(listedGpuId('lspci', 0))).toBeNull();
    expect(nvidiaIndexOf('gpu:01x')).toBeNull();
    expect(hasTemperatureReading('gpu:0')).toBe(true);
    expect(hasTemperatureReading('cpu')).toBe(false);
    expect(() => nvidiaGpuId(-1)).toThrow(RangeError);
    expect(() => nvidiaGpuId(1.5)).toThrow(RangeError);
  });
});
