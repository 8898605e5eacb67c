import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TensorRefSchema } from './tensor-ring.ts';
import { openTensorRingFile, readRingTensor, writeRingBytes } from './tensor-ring-file.ts';

describe('tensor ring file', () => {
  const opened: number[] = [];
  afterEach(() => {
    for (const fd of opened.splice(0)) fs.closeSync(fd);
  });

  it('is an unlinked memory file: bytes written through one descriptor read back through the read-only one', () => {
    const ring = openTensorRingFile();
    if (ring === null) {
      expect(process.platform === 'linux' && fs.existsSync('/dev/shm')).toBe(false);
      return;
    }
    opened.push(ring.readWrite, ring.readOnly);
    expect(fs.readdirSync('/dev/shm').filter((name) => name.includes(`idlehive-ring-${process.pid}-`))).toEqual([]);
    const data = Float32Array.from({ length: 1000 }, (_, i) => i * 0.5);
    writeRingBytes(ring.readWrite, 4096, data);
    const ref = TensorRefSchema.parse({ dtype: 'float32', dims: [10, 100], ring: { offset: 4096, byteLength: 4000 } });
    const read = readRingTensor(ring.readOnly, ref);
    expect(read).toBeInstanceOf(Float32Array);
    expect(Array.from(read as Float32Array)).toEqual(Array.from(data));
    expect(() => fs.writeSync(ring.readOnly, Buffer.from('x'))).toThrow(/EBADF/);
    // A reference past what was ever written reads short, and says so.
    const beyond = { dtype: 'uint8' as const, dims: [8], ring: { offset: 1_000_000, byteLength: 8 } };
    expect(() => readRingTensor(ring.readOnly, beyond)).toThrow(/ring ends before/);
  });
});
