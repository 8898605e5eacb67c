/**
 * The tensor rings' files (tensor-ring.ts has the bookkeeping): opening the
 * pair, and reading and writing a tensor's bytes at an offset.
 *
 * With the shared-memory addon (shared-memory.ts) a ring is a sealed memory
 * file that each side maps, and a tensor crosses with a memcpy (2-9 µs per
 * 128 KiB here). Without it a ring is an unlinked file on /dev/shm reached
 * through pwrite and pread (16-40 µs), which is also what a side falls back to
 * when a mapping is refused.
 */
import fs from 'node:fs';
import { loadSharedMemory, type MappingHandle, type SharedMemoryAddon } from './shared-memory.ts';
import { type TensorArray, typedArrayView } from './tensor-payload.ts';
import { TENSOR_RING_BYTES, TENSOR_RING_DIRECTORY, type TensorRef } from './tensor-ring.ts';

const bytesOf = (data: TensorArray | Uint8Array) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** Writes a tensor's bytes at offset through the ring's file descriptor. */
export function writeRingBytes(fd: number, offset: number, data: TensorArray | Uint8Array): void {
  const bytes = bytesOf(data);
  let written = 0;
  while (written < bytes.byteLength) {
    written += fs.writeSync(fd, bytes, written, bytes.byteLength - written, offset + written);
  }
}

function readRingBytes(fd: number, offset: number, bytes: Uint8Array): void {
  let read = 0;
  while (read < bytes.byteLength) {
    const got = fs.readSync(fd, bytes, read, bytes.byteLength - read, offset + read);
    if (got === 0) throw new RangeError(`the ring ends before byte ${offset + bytes.byteLength}`);
    read += got;
  }
}

/**
 * The tensor a reference points at, read by readBytes, in a typed array over
 * `into` when it is large enough, else over fresh memory.
 */
function ringTensor(
  ref: TensorRef,
  into: ArrayBuffer | undefined,
  readBytes: (offset: number, bytes: Uint8Array) => void,
): TensorArray {
  const { byteLength, offset } = ref.ring;
  const buffer = into !== undefined && into.byteLength >= byteLength ? into : new ArrayBuffer(byteLength);
  readBytes(offset, new Uint8Array(buffer, 0, byteLength));
  return typedArrayView(ref.dtype, buffer, 0, byteLength);
}

/** The tensor a reference points at, read through the ring's file descriptor (as ringTensor). */
export function readRingTensor(fd: number, ref: TensorRef, into?: ArrayBuffer): TensorArray {
  return ringTensor(ref, into, (offset, bytes) => readRingBytes(fd, offset, bytes));
}

/** One side's way into one ring. */
export interface RingBytes {
  /** Whether this side reaches the ring through a shared mapping (else through its descriptor). */
  readonly isMapped: boolean;
  /** Writes a tensor's bytes at offset; throws when the ring refuses them (a full file system, a bad offset). */
  write(offset: number, data: TensorArray | Uint8Array): void;
  /** As readRingTensor. */
  readTensor(ref: TensorRef, into?: ArrayBuffer): TensorArray;
  /** Releases the mapping (the descriptor stays the caller's to close); later calls throw. */
  close(): void;
}

/**
 * The ring behind fd as this side reaches it: mapped when `map` says so and
 * the addon maps it (a file shorter than the ring is refused), else through
 * the descriptor. `map` is the caller's judgement that a mapping is safe: the
 * agent maps only sealed rings, which the worker cannot shrink under it.
 */
export function ringBytes(
  fd: number,
  { map, writable, capacity = TENSOR_RING_BYTES }: { map: boolean; writable: boolean; capacity?: number },
): RingBytes {
  const throughDescriptor: RingBytes = {
    isMapped: false,
    write: (offset, data) => writeRingBytes(fd, offset, data),
    readTensor: (ref, into) => readRingTensor(fd, ref, into),
    close: () => {},
  };
  const { addon } = loadSharedMemory();
  if (!map || addon === null) return throughDescriptor;
  try {
    return mappedRing(addon, addon.map(fd, capacity, writable));
  } catch {
    return throughDescriptor;
  }
}

function mappedRing(addon: SharedMemoryAddon, mapping: MappingHandle): RingBytes {
  return {
    isMapped: true,
    write: (offset, data) => addon.write(mapping, offset, bytesOf(data)),
    readTensor: (ref, into) => ringTensor(ref, into, (offset, bytes) => addon.read(mapping, offset, bytes)),
    close: () => addon.unmap(mapping),
  };
}

export interface TensorRingFile {
  readWrite: number;
  /** A read-only descriptor of the same file, for the side that must not write. */
  readOnly: number;
  /** Sized to the ring, allocated and sealed against resizing (the addon's createRing): safe for either side to map. */
  isSealed: boolean;
}

/**
 * A ring's file: a sealed memory file where the addon makes one (unless
 * `sealed` is false), else an unlinked file on a memory file system. null
 * where there is neither (the tensors then go inline).
 */
export function openTensorRingFile({
  directory = TENSOR_RING_DIRECTORY,
  sealed = true,
}: {
  directory?: string;
  sealed?: boolean;
} = {}): TensorRingFile | null {
  if (process.platform !== 'linux') return null;
  return (sealed ? openSealedRing() : null) ?? openUnlinkedRing(directory);
}

function openSealedRing(): TensorRingFile | null {
  const { addon } = loadSharedMemory();
  if (addon === null) return null;
  let readWrite: number;
  try {
    readWrite = addon.createRing(TENSOR_RING_BYTES);
  } catch {
    // Out of memory for the ring's pages, say: the unlinked file allocates them as it goes.
    return null;
  }
  try {
    // The same memory file again, read-only: the worker's end of the input ring.
    return { readWrite, readOnly: fs.openSync(`/proc/self/fd/${readWrite}`, 'r'), isSealed: true };
  } catch {
    fs.closeSync(readWrite);
    return null;
  }
}

function openUnlinkedRing(directory: string): TensorRingFile | null {
  const file = `${directory}/idlehive-ring-${process.pid}-${Math.random().toString(36).slice(2)}`;
  let readWrite: number;
  try {
    readWrite = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  } catch {
    return null;
  }
  try {
    const readOnly = fs.openSync(file, 'r');
    return { readWrite, readOnly, isSealed: false };
  } catch {
    fs.closeSync(readWrite);
    return null;
  } finally {
    // Gone from the file system at once: only these descriptors reach it, and it is freed with the last of them.
    fs.rmSync(file, { force: true });
  }
}
