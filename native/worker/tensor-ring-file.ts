/**
 * The tensor rings' files (tensor-ring.ts has the bookkeeping): opening the
 * unlinked pair, and reading and writing a tensor's bytes at an offset.
 */
import fs from 'node:fs';
import { type TensorArray, typedArrayView } from './tensor-payload.ts';
import { TENSOR_RING_DIRECTORY, type TensorRef } from './tensor-ring.ts';

/** Writes a tensor's bytes at offset through the ring's file descriptor. */
export function writeRingBytes(fd: number, offset: number, data: TensorArray | Uint8Array): void {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
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

/** The tensor a reference points at, in a typed array over `into` when it is large enough, else over fresh memory. */
export function readRingTensor(fd: number, ref: TensorRef, into?: ArrayBuffer): TensorArray {
  const { byteLength, offset } = ref.ring;
  const buffer = into !== undefined && into.byteLength >= byteLength ? into : new ArrayBuffer(byteLength);
  readRingBytes(fd, offset, new Uint8Array(buffer, 0, byteLength));
  return typedArrayView(ref.dtype, buffer, 0, byteLength);
}

/**
 * An unlinked file on a memory file system, open for reading and writing, and
 * a read-only descriptor of the same file for the side that must not write.
 * null where the platform has no such file system (the tensors then go inline).
 */
export function openTensorRingFile(directory = TENSOR_RING_DIRECTORY): { readWrite: number; readOnly: number } | null {
  if (process.platform !== 'linux') return null;
  const file = `${directory}/idlehive-ring-${process.pid}-${Math.random().toString(36).slice(2)}`;
  let readWrite: number;
  try {
    readWrite = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  } catch {
    return null;
  }
  try {
    const readOnly = fs.openSync(file, 'r');
    return { readWrite, readOnly };
  } catch {
    fs.closeSync(readWrite);
    return null;
  } finally {
    // Gone from the file system at once: only these descriptors reach it, and it is freed with the last of them.
    fs.rmSync(file, { force: true });
  }
}
