import { describe, expect, it } from 'vitest';
import { tempTensorRings } from '../../test/support/tensor-ring-files.ts';
import type { TensorRef } from './tensor-ring.ts';
import { writeRingBytes } from './tensor-ring-file.ts';
import { ringTensorTransport } from './worker-tensor-transport.ts';

describe.runIf(process.platform === 'linux')('the worker reading its inputs out of the ring', () => {
  const ringFiles = tempTensorRings();

  function rings() {
    const files = ringFiles();
    if (files === null) throw new Error('no tensor rings on this machine');
    const { input, output } = files;
    const transport = ringTensorTransport({ inputFd: input.readOnly, outputFd: output.readWrite });
    return {
      transport,
      writeInput: (offset: number, data: Float32Array<ArrayBuffer>) => writeRingBytes(input.readWrite, offset, data),
    };
  }
  const ref = (offset: number): TensorRef => ({ dtype: 'float32', dims: [4], ring: { offset, byteLength: 16 } });
  const values = (data: unknown) => Array.from(data as Float32Array);

  it('reads a reference repeated within a batch once, and again once a new batch begins', () => {
    const { transport, writeInput } = rings();
    writeInput(0, Float32Array.of(1, 2, 3, 4));
    transport.beginBatch();
    expect(values(transport.receive('x', ref(0)).data)).toEqual([1, 2, 3, 4]);
    // The agent never rewrites space a batch still refers to; doing it here shows the second run reads no bytes.
    writeInput(0, Float32Array.of(5, 6, 7, 8));
    expect(values(transport.receive('x', ref(0)).data)).toEqual([1, 2, 3, 4]);
    // The next batch may refer to the same space written anew, after the last batch's answer released it.
    transport.beginBatch();
    expect(values(transport.receive('x', ref(0)).data)).toEqual([5, 6, 7, 8]);
  });

  it('reads every other reference, and each input of a run from its own place', () => {
    const { transport, writeInput } = rings();
    writeInput(0, Float32Array.of(1, 2, 3, 4));
    writeInput(16, Float32Array.of(5, 6, 7, 8));
    transport.beginBatch();
    expect(values(transport.receive('x', ref(0)).data)).toEqual([1, 2, 3, 4]);
    expect(values(transport.receive('x', ref(16)).data)).toEqual([5, 6, 7, 8]);
    // Another input at a place 'x' held before is read into its own memory, not taken from x's.
    expect(values(transport.receive('y', ref(0)).data)).toEqual([1, 2, 3, 4]);
    expect(values(transport.receive('x', ref(0)).data)).toEqual([1, 2, 3, 4]);
  });
});
