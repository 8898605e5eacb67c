/**
 * How the worker's tensors cross to the agent and back: through the tensor
 * rings when the supervisor gave it some (tensor-ring.ts), otherwise inline
 * in the IPC messages. The session host sees only this interface, so it runs
 * the same with either, and in-process for tests.
 */
import { type TensorPayload, typedArrayView } from './tensor-payload.ts';
import { isTensorRef, ReusedBuffers, RingSpace, TENSOR_RING_BYTES } from './tensor-ring.ts';
import { ringBytes } from './tensor-ring-file.ts';
import type { WireTensor } from './worker-protocol.ts';

/** The flag the supervisor adds to the worker's command line when it passes the rings. */
export const TENSOR_RINGS_FLAG = '--tensor-rings';
/** The input ring, read-only for the worker (fd 3 is IPC, fd 4 bubblewrap's info). */
export const INPUT_RING_FD = 5;
/** The output ring: the one file the worker writes. */
export const OUTPUT_RING_FD = 6;

export interface WorkerTensorTransport {
  /**
   * A run's input, bytes in hand (read out of the input ring when the message
   * holds a reference). Valid until the next run's input of the same name.
   */
  receive(name: string, tensor: WireTensor): TensorPayload;
  /**
   * A batch begins: its references may point at ring space the agent has
   * written again since the last batch's answer released it, so no input in
   * hand counts as read any more.
   */
  beginBatch(): void;
  /**
   * An output as it will be sent: a ring reference when there is room now, the
   * tensor itself when it goes inline, or null when the ring has no room until
   * the agent has read what was already sent.
   */
  place(tensor: TensorPayload): WireTensor | null;
  /** An output sent inline, in memory of its own (never an input's, which the next run reuses). */
  inline(tensor: TensorPayload): TensorPayload;
  /** The output ring's position after everything placed so far. */
  readonly mark: number;
  /** Resolves once the agent has read the output ring up to `upTo`. */
  whenReleased(upTo: number): Promise<void>;
  /** The agent's word that it has read up to `upTo`; false when that is not a position the ring reached. */
  release(upTo: number): boolean;
}

/** Every tensor inline in the messages (no rings on this platform, or tests). */
export const inlineTensorTransport: WorkerTensorTransport = {
  receive(_name, tensor) {
    if (isTensorRef(tensor)) throw new RangeError('a tensor refers to a ring, but this worker was given none');
    return tensor;
  },
  beginBatch: () => {},
  place: (tensor) => tensor,
  inline: (tensor) => tensor,
  mark: 0,
  whenReleased: () => Promise.resolve(),
  release: (upTo) => upTo === 0,
};

export function ringTensorTransport({
  inputFd = INPUT_RING_FD,
  outputFd = OUTPUT_RING_FD,
  capacity = TENSOR_RING_BYTES,
} = {}): WorkerTensorTransport {
  const output = new RingSpace(capacity);
  // Mapped where the addon maps them (a ring the agent did not size and seal is refused and read through its
  // descriptor): a mapping of its own rings is a risk to no one but this worker.
  const inputRing = ringBytes(inputFd, { map: true, writable: false });
  const outputRing = ringBytes(outputFd, { map: true, writable: true, capacity });
  let waiting: { upTo: number; resolve(): void } | null = null;
  let releasedUpTo = 0;
  // Each input's memory is reused run after run: onnxruntime reads it only during the run, a cost the
  // in-process loop never pays for fresh memory.
  const inputMemory = new ReusedBuffers();
  // The ring bytes each input's memory holds, in this batch. The supervisor writes an array that repeats within a
  // batch (the benchmark's one feed) to the ring once; the worker then reads it once too, as the in-process loop
  // reuses one tensor. Reading its 1 MiB again before every GEMM run cost the benchmark about 5 %, and within a
  // batch the space a reference points at does not change (the agent reuses it only after the batch's answer).
  const inputsHeld = new Map<string, { offset: number; byteLength: number; memory: ArrayBuffer }>();
  const inline = (tensor: TensorPayload): TensorPayload =>
    inputMemory.holds(tensor.data.buffer) ? ({ ...tensor, data: tensor.data.slice() } as TensorPayload) : tensor;
  return {
    receive(name, tensor) {
      if (!isTensorRef(tensor)) return tensor;
      const { offset, byteLength } = tensor.ring;
      const memory = inputMemory.for(name, byteLength);
      const held = inputsHeld.get(name);
      const isHeld =
        held !== undefined && held.memory === memory && held.offset === offset && held.byteLength === byteLength;
      if (!isHeld) {
        // Forgotten first: a read that fails half way leaves the memory holding neither reference.
        inputsHeld.delete(name);
        inputRing.readTensor(tensor, memory);
        inputsHeld.set(name, { offset, byteLength, memory });
      }
      // The memory is at least byteLength long, so the read filled it from its start.
      return {
        dtype: tensor.dtype,
        dims: tensor.dims,
        data: typedArrayView(tensor.dtype, memory, 0, byteLength),
      } as TensorPayload;
    },
    beginBatch() {
      inputsHeld.clear();
    },
    inline,
    place(tensor) {
      const { byteLength } = tensor.data;
      if (!output.fits(byteLength)) return inline(tensor);
      const offset = output.take(byteLength);
      if (offset === null) return null;
      try {
        outputRing.write(offset, tensor.data);
      } catch {
        // A full memory file system (ENOSPC): this one goes inline; its space is released with the rest.
        return inline(tensor);
      }
      return { dtype: tensor.dtype, dims: [...tensor.dims], ring: { offset, byteLength } };
    },
    get mark() {
      return output.head;
    },
    whenReleased(upTo) {
      if (releasedUpTo >= upTo) return Promise.resolve();
      return new Promise((resolve) => {
        waiting = { upTo, resolve };
      });
    },
    release(upTo) {
      if (!output.release(upTo)) return false;
      releasedUpTo = upTo;
      if (waiting !== null && releasedUpTo >= waiting.upTo) {
        const { resolve } = waiting;
        waiting = null;
        resolve();
      }
      return true;
    },
  };
}
