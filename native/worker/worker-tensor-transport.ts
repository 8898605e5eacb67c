/**
 * How the worker's tensors cross to the agent and back: through the tensor
 * rings when the supervisor gave it some (tensor-ring.ts), otherwise inline
 * in the IPC messages. The session host sees only this interface, so it runs
 * the same with either, and in-process for tests.
 */
import type { TensorPayload } from './tensor-payload.ts';
import { RingSpace, readRingTensor, TENSOR_RING_BYTES, type TensorRef, writeRingBytes } from './tensor-ring.ts';
import type { WireTensor } from './worker-protocol.ts';

/** The flag the supervisor adds to the worker's command line when it passes the rings. */
export const TENSOR_RINGS_FLAG = '--tensor-rings';
/** The input ring, read-only for the worker (fd 3 is IPC, fd 4 bubblewrap's info). */
export const INPUT_RING_FD = 5;
/** The output ring: the one file the worker writes. */
export const OUTPUT_RING_FD = 6;

export interface WorkerTensorTransport {
  /** An input's bytes in hand (read out of the input ring when the message holds a reference). */
  receive(tensor: WireTensor): TensorPayload;
  /**
   * An output as it will be sent: a ring reference when there is room now, the
   * tensor itself when it goes inline, or null when the ring has no room until
   * the agent has read what was already sent.
   */
  place(tensor: TensorPayload): WireTensor | null;
  /** The output ring's position after everything placed so far. */
  readonly mark: number;
  /** Resolves once the agent has read the output ring up to `upTo`. */
  whenReleased(upTo: number): Promise<void>;
  /** The agent's word that it has read up to `upTo`; false when that is not a position the ring reached. */
  release(upTo: number): boolean;
}

export function isTensorRef(tensor: WireTensor): tensor is TensorRef {
  return 'ring' in tensor;
}

/** Every tensor inline in the messages (no rings on this platform, or tests). */
export const inlineTensorTransport: WorkerTensorTransport = {
  receive(tensor) {
    if (isTensorRef(tensor)) throw new RangeError('a tensor refers to a ring, but this worker was given none');
    return tensor;
  },
  place: (tensor) => tensor,
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
  let waiting: { upTo: number; resolve(): void } | null = null;
  let releasedUpTo = 0;
  return {
    receive(tensor) {
      if (!isTensorRef(tensor)) return tensor;
      return { dtype: tensor.dtype, dims: tensor.dims, data: readRingTensor(inputFd, tensor) } as TensorPayload;
    },
    place(tensor) {
      const { byteLength } = tensor.data;
      if (!output.fits(byteLength)) return tensor;
      const offset = output.take(byteLength);
      if (offset === null) return null;
      writeRingBytes(outputFd, offset, tensor.data);
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
