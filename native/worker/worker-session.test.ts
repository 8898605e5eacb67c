/**
 * The session host with tensor rings, in this process with a real onnxruntime
 * session and real ring files: the test plays the agent, writing inputs into
 * the input ring and reading (and releasing) outputs from the output ring.
 */
import fs from 'node:fs';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { tempTensorRings } from '../../test/support/tensor-ring-files.ts';
import { buildModelBytes, GraphBuilder } from '../onnx/graph-builder.ts';
import { sessionOptionsFor } from './session-options.ts';
import type { TensorPayload } from './tensor-payload.ts';
import { isTensorRef, RingSpace } from './tensor-ring.ts';
import { readRingTensor, writeRingBytes } from './tensor-ring-file.ts';
import type { WireFeeds, WireRunResult, WireTensor } from './worker-protocol.ts';
import { createSessionHost, type OnnxRuntimeModule } from './worker-session.ts';
import { ringTensorTransport } from './worker-tensor-transport.ts';

/** y = x + x over `size` floats. */
function doublingModel(size: number): Uint8Array<ArrayBuffer> {
  const graph = new GraphBuilder('double');
  const x = graph.input('x', 'float32', [size]);
  graph.node('Add', [x, x], {}, { outputs: ['y'] });
  graph.output('y', 'float32', [size]);
  return new Uint8Array(buildModelBytes(graph));
}

const ringFiles = tempTensorRings();

/** Where tensor rings exist at all (Linux); elsewhere every tensor goes inline and the worker tests cover that. */
const hasMemoryFileSystem = process.platform === 'linux' && fs.existsSync('/dev/shm');

const runInput = (run: number, size: number) => Float32Array.from({ length: size }, (_, i) => run * 1000 + i);

/** A session host on the doubling model whose transport uses a 1 KiB output ring. */
async function hostWithRings(size: number) {
  const files = ringFiles();
  if (files === null) throw new Error('no memory file system');
  const transport = ringTensorTransport({
    inputFd: files.input.readOnly,
    outputFd: files.output.readWrite,
    capacity: 1024,
  });
  const host = createSessionHost(ort as unknown as OnnxRuntimeModule, transport);
  await host.load({
    type: 'load',
    requestId: 1,
    modelBytes: doublingModel(size),
    sessionOptions: sessionOptionsFor({ threads: 1, isDutyCycled: true }),
    executionProviders: ['cpu'],
  });
  return { files, transport, host };
}

describe('session host with tensor rings', () => {
  it.skipIf(!hasMemoryFileSystem)(
    'reads inputs from the input ring, and when the output ring is full sends what it has and waits for the agent',
    async () => {
      const size = 64; // 256 bytes a tensor: a 1 KiB ring holds four.
      const { files, transport, host } = await hostWithRings(size);
      // The agent's side: inputs into the input ring (room for every run here).
      const inputSpace = new RingSpace();
      const runs: WireFeeds[] = Array.from({ length: 12 }, (_, run) => {
        const data = runInput(run, size);
        const offset = inputSpace.take(data.byteLength) as number;
        writeRingBytes(files.input.readWrite, offset, data);
        return { x: { dtype: 'float32', dims: [size], ring: { offset, byteLength: data.byteLength } } };
      });
      const received: TensorPayload[] = [];
      let progressReplies = 0;
      const readOut = (results: WireRunResult[], ringEnd: number, releaseLater: boolean) => {
        for (const result of results) {
          const y = result.outputs.y as WireTensor;
          expect(isTensorRef(y)).toBe(true);
          if (!isTensorRef(y)) return;
          received.push({
            dtype: 'float32',
            dims: y.dims,
            data: readRingTensor(files.output.readOnly, y),
          } as TensorPayload);
        }
        // Released a moment later, as a busy agent would: the worker must wait rather than overwrite.
        if (releaseLater) setTimeout(() => expect(transport.release(ringEnd)).toBe(true), 5);
        else expect(transport.release(ringEnd)).toBe(true);
      };
      const ran = await host.runBatch(
        { type: 'run', requestId: 2, runs, outputNames: ['y'], returnOutputs: true },
        (_, results, ringEnd) => {
          progressReplies++;
          readOut(results, ringEnd, true);
        },
      );
      readOut(ran.results, ran.ringEnd, false);
      // Twelve outputs through a ring that holds four: it must have filled, flushed and waited.
      expect(progressReplies).toBeGreaterThanOrEqual(2);
      expect(received).toHaveLength(12);
      received.forEach((tensor, run) => {
        expect(Array.from(tensor.data as Float32Array)).toEqual(Array.from(runInput(run, size), (value) => value * 2));
      });
    },
  );

  it.skipIf(!hasMemoryFileSystem)('sends an output too large for the ring inline', async () => {
    const { host } = await hostWithRings(100);
    const x = runInput(3, 100);
    const ran = await host.runBatch(
      {
        type: 'run',
        requestId: 2,
        runs: [{ x: { dtype: 'float32', dims: [100], data: x } }],
        outputNames: ['y'],
        returnOutputs: true,
      },
      () => {},
    );
    const y = ran.results[0]?.outputs.y as WireTensor;
    expect(isTensorRef(y)).toBe(false);
    expect(Array.from((y as TensorPayload).data as Float32Array)).toEqual(Array.from(x, (value) => value * 2));
    expect(ran.ringEnd).toBe(0);
  });

  it.skipIf(!hasMemoryFileSystem)(
    'sends an output inline when the ring refuses the write (a full memory file system)',
    () => {
      const files = ringFiles();
      if (files === null) throw new Error('no memory file system');
      // A read-only descriptor refuses every write, as a full /dev/shm refuses with ENOSPC.
      const transport = ringTensorTransport({ inputFd: files.input.readOnly, outputFd: files.output.readOnly });
      const tensor = { dtype: 'float32', dims: [4], data: Float32Array.of(1, 2, 3, 4) } as TensorPayload;
      const placed = transport.place(tensor);
      expect(placed).not.toBeNull();
      expect(isTensorRef(placed as WireTensor)).toBe(false);
      expect(Array.from((placed as TensorPayload).data as Float32Array)).toEqual([1, 2, 3, 4]);
      // The space it took is still released in order with everything else.
      expect(transport.release(transport.mark)).toBe(true);
    },
  );
});
