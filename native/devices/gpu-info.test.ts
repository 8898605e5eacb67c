import { describe, expect, it } from 'vitest';
import { parseLspci, parseNvidiaSmi, parseSystemProfiler, parseWindowsVideoControllers } from './gpu-info.ts';

describe('gpu info parsers', () => {
  it('reads nvidia-smi CSV with memory and driver', () => {
    expect(parseNvidiaSmi('0, NVIDIA GeForce RTX 4090, 24564, 550.54.14\n1, NVIDIA A100, [N/A], 550.54.14\n')).toEqual([
      {
        id: 'gpu:0',
        kind: 'gpu',
        vendor: 'nvidia',
        name: 'NVIDIA GeForce RTX 4090',
        memoryMb: 24564,
        driver: '550.54.14',
        source: 'nvidia-smi',
      },
      {
        id: 'gpu:1',
        kind: 'gpu',
        vendor: 'nvidia',
        name: 'NVIDIA A100',
        memoryMb: null,
        driver: '550.54.14',
        source: 'nvidia-smi',
      },
    ]);
  });

  it('keeps only display controllers from lspci and names their vendor', () => {
    const text = [
      '00:02.0 "VGA compatible controller [0300]" "Intel Corporation [8086]" "Alder Lake-S GT1 [4680]" -r0c "" ""',
      '01:00.0 "3D controller [0302]" "NVIDIA Corporation [10de]" "GA102 [2204]" -ra1 "" ""',
      '00:1f.3 "Audio device [0403]" "Intel Corporation [8086]" "Alder Lake-S HD Audio [7ad0]" "" ""',
    ].join('\n');
    expect(parseLspci(text).map((gpu) => [gpu.id, gpu.vendor, gpu.name])).toEqual([
      ['gpu:lspci-0', 'intel', 'Intel Corporation Alder Lake-S GT1'],
      ['gpu:lspci-1', 'nvidia', 'NVIDIA Corporation GA102'],
    ]);
  });

  it('reads macOS and Windows listings, and nothing from garbage', () => {
    const mac = JSON.stringify({
      SPDisplaysDataType: [{ sppci_model: 'Apple M2 Pro', spdisplays_vendor: 'sppci_vendor_Apple' }],
    });
    expect(parseSystemProfiler(mac)).toMatchObject([{ vendor: 'apple', name: 'Apple M2 Pro', memoryMb: null }]);
    const win = JSON.stringify({
      Name: 'AMD Radeon RX 7900 XTX',
      AdapterRAM: 4293918720,
      DriverVersion: '31.0.24002.92',
    });
    expect(parseWindowsVideoControllers(win)).toMatchObject([
      { vendor: 'amd', memoryMb: 4095, driver: '31.0.24002.92' },
    ]);
    expect(parseSystemProfiler('not json')).toEqual([]);
    expect(parseWindowsVideoControllers('')).toEqual([]);
  });
});
