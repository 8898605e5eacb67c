import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSharedMemory, type SharedMemoryAddon } from './shared-memory.ts';

const RING = 1024 * 1024;

describe.runIf(process.platform === 'linux')('shared-memory addon', () => {
  const opened: number[] = [];
  afterEach(() => {
    for (const fd of opened.splice(0)) fs.closeSync(fd);
  });
  const addon = (): SharedMemoryAddon => {
    const { addon: loaded, reason } = loadSharedMemory();
    // npm ci builds it (tools/build-shared-memory.ts); on Linux its absence is a broken install, not a fallback to test.
    expect(reason).toBeNull();
    return loaded as SharedMemoryAddon;
  };
  const ring = (): number => {
    const fd = addon().createRing(RING);
    opened.push(fd);
    return fd;
  };

  it('creates a ring of the size asked, sealed: nobody holding a descriptor can shrink or grow it', () => {
    const fd = ring();
    expect(fs.fstatSync(fd).size).toBe(RING);
    expect(() => fs.ftruncateSync(fd, 10)).toThrow(/EPERM/);
    expect(() => fs.ftruncateSync(fd, RING * 2)).toThrow(/EPERM/);
    expect(fs.fstatSync(fd).mode & 0o777).toBe(0o400);
  });

  it('carries bytes written through one mapping to another mapping of the same ring, and to a plain read', () => {
    const fd = ring();
    const readOnly = fs.openSync(`/proc/self/fd/${fd}`, 'r');
    opened.push(readOnly);
    const writer = addon().map(fd, RING, true);
    const reader = addon().map(readOnly, RING, false);
    const data = Float32Array.from({ length: 4096 }, (_, i) => i / 7);
    addon().write(writer, 8192, new Uint8Array(data.buffer));
    const back = new Float32Array(4096);
    addon().read(reader, 8192, new Uint8Array(back.buffer));
    expect(Array.from(back)).toEqual(Array.from(data));
    const viaDescriptor = Buffer.alloc(data.byteLength);
    fs.readSync(readOnly, viaDescriptor, 0, viaDescriptor.length, 8192);
    expect(new Float32Array(viaDescriptor.buffer, viaDescriptor.byteOffset, 4096)).toEqual(data);
  });

  it('refuses every access outside the mapping, a write through a read-only one, and use after unmap', () => {
    const fd = ring();
    const mapping = addon().map(fd, RING, true);
    expect(() => addon().write(mapping, RING - 4, new Uint8Array(8))).toThrow(/do not fit inside the ring/);
    expect(() => addon().read(mapping, RING + 1, new Uint8Array(1))).toThrow(/do not fit inside the ring/);
    expect(() => addon().write(mapping, -1, new Uint8Array(1))).toThrow(/expected \(mapping, offset, typedArray\)/);
    expect(() => addon().write(mapping, 0, [1, 2] as never)).toThrow(/expected \(mapping, offset, typedArray\)/);
    // Bytes only, so no element size is ever guessed; and no other value is taken for a mapping.
    expect(() => addon().write(mapping, 0, new Float32Array(2) as never)).toThrow(/as a Uint8Array/);
    expect(() => addon().read({} as never, 0, new Uint8Array(1))).toThrow(/expected \(mapping, offset, typedArray\)/);
    expect(() => addon().unmap(new Uint8Array(1) as never)).toThrow(/expected \(mapping\)/);
    const readOnly = addon().map(fd, RING, false);
    expect(() => addon().write(readOnly, 0, new Uint8Array(1))).toThrow(/mapped read-only/);
    addon().unmap(mapping);
    expect(() => addon().read(mapping, 0, new Uint8Array(1))).toThrow(/mapping is closed/);
  });

  it('hands malloc’s free pages back where the C library can (glibc), and says whether it could', () => {
    const report = process.report.getReport() as { header: { glibcVersionRuntime?: string } };
    const hasMallocTrim = report.header.glibcVersionRuntime !== undefined;
    expect(addon().releaseFreeHeap()).toBe(hasMallocTrim);
  });

  it('will not map a file shorter than the mapping, so no access can fall past its end', () => {
    const path = `/dev/shm/idlehive-shm-test-${process.pid}`;
    const fd = fs.openSync(path, 'w+');
    fs.rmSync(path);
    opened.push(fd);
    fs.ftruncateSync(fd, 4096);
    expect(() => addon().map(fd, RING, false)).toThrow(/shorter than the mapping/);
    expect(() => addon().createRing(0)).toThrow(/positive length/);
  });
});
