import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSharedMemory } from './shared-memory.ts';
import { TENSOR_RING_BYTES, TensorRefSchema } from './tensor-ring.ts';
import { openTensorRingFile, readRingTensor, ringBytes, writeRingBytes } from './tensor-ring-file.ts';

const hasMemoryFileSystem = process.platform === 'linux' && fs.existsSync('/dev/shm');

describe('tensor ring file', () => {
  const opened: number[] = [];
  afterEach(() => {
    for (const fd of opened.splice(0)) fs.closeSync(fd);
  });
  const data = Float32Array.from({ length: 1000 }, (_, i) => i * 0.5);
  const ref = TensorRefSchema.parse({ dtype: 'float32', dims: [10, 100], ring: { offset: 4096, byteLength: 4000 } });

  it.runIf(hasMemoryFileSystem)(
    'without the addon: an unlinked memory file, written through one descriptor and read back through the read-only one',
    () => {
      const ring = openTensorRingFile({ sealed: false });
      if (ring === null) throw new Error('no ring on a memory file system');
      opened.push(ring.readWrite, ring.readOnly);
      expect(ring.isSealed).toBe(false);
      expect(fs.readdirSync('/dev/shm').filter((name) => name.includes(`idlehive-ring-${process.pid}-`))).toEqual([]);
      writeRingBytes(ring.readWrite, 4096, data);
      const read = readRingTensor(ring.readOnly, ref);
      expect(read).toBeInstanceOf(Float32Array);
      expect(Array.from(read as Float32Array)).toEqual(Array.from(data));
      expect(() => fs.writeSync(ring.readOnly, Buffer.from('x'))).toThrow(/EBADF/);
      // A reference past what was ever written reads short, and says so.
      const beyond = { dtype: 'uint8' as const, dims: [8], ring: { offset: 1_000_000, byteLength: 8 } };
      expect(() => readRingTensor(ring.readOnly, beyond)).toThrow(/ring ends before/);
      // Such a file is never mapped: it is shorter than the ring, and a mapping could reach past its end.
      expect(ringBytes(ring.readOnly, { map: true, writable: false }).isMapped).toBe(false);
    },
  );

  it.runIf(process.platform === 'linux')(
    'with the addon: a sealed memory file of the ring size that both sides map, and that reads through a descriptor too',
    () => {
      expect(loadSharedMemory().reason).toBeNull();
      const ring = openTensorRingFile();
      if (ring === null) throw new Error('no sealed ring');
      opened.push(ring.readWrite, ring.readOnly);
      expect(ring.isSealed).toBe(true);
      expect(fs.fstatSync(ring.readOnly).size).toBe(TENSOR_RING_BYTES);
      const writer = ringBytes(ring.readWrite, { map: true, writable: true });
      const reader = ringBytes(ring.readOnly, { map: true, writable: false });
      expect([writer.isMapped, reader.isMapped]).toEqual([true, true]);
      writer.write(4096, data);
      expect(Array.from(reader.readTensor(ref) as Float32Array)).toEqual(Array.from(data));
      // The agent reading outputs through the descriptor (a ring it did not map) sees the same bytes.
      expect(Array.from(readRingTensor(ring.readOnly, ref) as Float32Array)).toEqual(Array.from(data));
      expect(() => fs.writeSync(ring.readOnly, Buffer.from('x'))).toThrow(/EBADF/);
      expect(() => reader.write(0, data)).toThrow(/mapped read-only/);
      writer.close();
      expect(() => writer.write(0, data)).toThrow(/mapping is closed/);
    },
  );
});
