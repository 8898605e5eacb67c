import { describe, expect, it } from 'vitest';
import { float32Tensor } from '../../network/jobs/tensors.ts';
import { decodeStoredResult, encodeStoredResult } from './stored-result.ts';

const result = {
  outputs: [[float32Tensor('probabilities', [1, 3], [0.1, 0.2, 0.7])]],
  appVersion: '0.1.0',
  onnxruntimeVersion: '1.30.0',
  executionProvider: 'cpu' as const,
  deviceMs: 42,
  checkpoints: [{ step: 100, bytes: new Uint8Array([1, 2, 3, 250]) }],
};

describe('stored results', () => {
  it('round-trips a result with checkpoint bytes exactly', () => {
    expect(decodeStoredResult(encodeStoredResult(result))).toEqual(result);
  });

  it('refuses a damaged row instead of sending it', () => {
    expect(decodeStoredResult('{')).toBeNull();
    const stored = JSON.parse(encodeStoredResult(result));
    expect(decodeStoredResult(JSON.stringify({ ...stored, deviceMs: -1 }))).toBeNull();
    expect(decodeStoredResult(JSON.stringify({ ...stored, executionProvider: 'quantum' }))).toBeNull();
  });
});
