/**
 * Tensor rings: where tensor bytes cross between the agent and the worker when
 * the platform allows, so the IPC channel carries only where they are.
 *
 * Each ring is a memory file made by the agent and inherited by the worker as
 * a file descriptor: a sealed anonymous one that both sides map where the
 * shared-memory addon is built (shared-memory.ts), else an unlinked file on
 * /dev/shm read and written through the descriptors (tensor-ring-file.ts).
 * The worker never opens a path (the permission model still refuses every
 * file write), and the descriptor is the whole grant. The input ring reaches
 * the worker read-only; the output ring is the one file it may write, and
 * RLIMIT_FSIZE bounds how far (see worker-launch-command.ts).
 *
 * Why: moving a run's tensors through Node's IPC cost about 0.8 ms of CPU per
 * 128 KiB (serialising, fresh buffers, copies on both sides), which on a busy
 * machine is taken from onnxruntime's own threads; a positioned read or write
 * into pages that stay mapped costs about 20 µs (bench/ipc-transfer.ts).
 *
 * This file is the bookkeeping and the message shape, free of I/O (the
 * dashboard's contract reaches the ring size through the isolation report);
 * tensor-ring-file.ts reads and writes the files.
 *
 * A ring is FIFO: space is taken at the head and given back, in order, by
 * moving the tail to a position the other side has finished with. Both
 * positions are logical byte counts that only grow; a tensor never straddles
 * the end (the rest of the lap is skipped), so each one is one read or write.
 */
import { z } from 'zod';
import {
  bytesPerElement,
  elementCount,
  TENSOR_DTYPES,
  TensorDimsSchema,
  type TensorPayload,
} from './tensor-payload.ts';

/** A memory file system: the rings' pages never reach a disk. */
export const TENSOR_RING_DIRECTORY = '/dev/shm';
/** Each ring's size: room for a few batches of typical tensors; pages are used only once touched. */
export const TENSOR_RING_BYTES = 32 * 1024 * 1024;
/** Larger tensors travel inline over IPC: one would otherwise hold most of a ring by itself (RingSpace.fits). */
export const MAX_RING_TENSOR_BYTES = TENSOR_RING_BYTES / 4;
/** Offsets stay aligned for every dtype's element size. */
const ALIGNMENT = 8;

/** A tensor whose bytes are in a ring: the message carries only this. */
export const TensorRefSchema = z
  .strictObject({
    dtype: z.enum(TENSOR_DTYPES),
    dims: TensorDimsSchema,
    ring: z.strictObject({
      offset: z.int().min(0).max(TENSOR_RING_BYTES),
      byteLength: z.int().min(0).max(MAX_RING_TENSOR_BYTES),
    }),
  })
  .refine((ref) => ref.ring.offset + ref.ring.byteLength <= TENSOR_RING_BYTES, {
    message: 'the tensor lies outside the ring',
  })
  .refine((ref) => elementCount(ref.dims) * bytesPerElement(ref.dtype) === ref.ring.byteLength, {
    message: 'the tensor byte length does not match its dtype and dims',
  });
export type TensorRef = z.infer<typeof TensorRefSchema>;

export function isTensorRef(tensor: TensorPayload | TensorRef): tensor is TensorRef {
  return 'ring' in tensor;
}

/**
 * One buffer per tensor name, reused run after run and grown when a tensor
 * needs more: what a side reads ring tensors into when it does not keep them
 * (fresh memory for every run cost page faults and collections here).
 */
export class ReusedBuffers {
  readonly #byName = new Map<string, ArrayBuffer>();

  /** The buffer for name, at least byteLength long. */
  for(name: string, byteLength: number): ArrayBuffer {
    let buffer = this.#byName.get(name);
    if (buffer === undefined || buffer.byteLength < byteLength) {
      buffer = new ArrayBuffer(byteLength);
      this.#byName.set(name, buffer);
    }
    return buffer;
  }

  /** Whether buffer is one of these (and so will be overwritten by a later run). */
  holds(buffer: ArrayBufferLike): boolean {
    return [...this.#byName.values()].includes(buffer as ArrayBuffer);
  }
}

/**
 * The space bookkeeping of one ring, free of I/O: the writing side takes
 * space with `take` and learns from the reading side how far it may reuse.
 */
export class RingSpace {
  readonly capacity: number;
  /** Logical position of the next byte to write (never wraps). */
  #head = 0;
  /** Logical position before which everything has been read. */
  #tail = 0;

  constructor(capacity = TENSOR_RING_BYTES) {
    if (capacity % ALIGNMENT !== 0 || capacity > TENSOR_RING_BYTES) throw new RangeError(`a ring of ${capacity} bytes`);
    this.capacity = capacity;
  }

  get head(): number {
    return this.#head;
  }

  get used(): number {
    return this.#head - this.#tail;
  }

  /**
   * Space for byteLength bytes: the offset in the file, or null when the ring
   * has not that much free yet (or never could: the caller sends it inline).
   */
  take(byteLength: number): number | null {
    if (!this.fits(byteLength)) return null;
    const size = Math.ceil(byteLength / ALIGNMENT) * ALIGNMENT;
    let start = this.#head;
    const offset = start % this.capacity;
    // Never across the end: skip the rest of this lap.
    if (offset + size > this.capacity) start += this.capacity - offset;
    if (start + size - this.#tail > this.capacity) return null;
    this.#head = start + size;
    return start % this.capacity;
  }

  /** Whether a tensor of byteLength bytes may use the ring at all (otherwise it goes inline). */
  fits(byteLength: number): boolean {
    return byteLength <= this.capacity / 4;
  }

  /** Everything before logical position `upTo` has been read. False when upTo is not a position this ring reached. */
  release(upTo: number): boolean {
    if (!Number.isSafeInteger(upTo) || upTo < this.#tail || upTo > this.#head) return false;
    this.#tail = upTo;
    return true;
  }
}
