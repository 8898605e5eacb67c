/**
 * The session host with tensor rings, in this process with a real onnxruntime
 * session and real ring files: the test plays the agent, writing inputs into
 * the input ring and reading (and releasing) outputs from the output ring.
 */
import fs from 'node:fs';
import ort, { type InferenceSession, type OnnxValue } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { tempTensorRings } from '../../test/support/tensor-ring-files.ts';
import { buildModelBytes, GraphBuilder } from '../onnx/graph-builder.ts';
import { sessionOptionsFor } from './session-options.ts';
import type { TensorPayload } from './tensor-payload.ts';
import { isTensorRef, RingSpace } from './tensor-ring.ts';
import { readRingTensor, writeRingBytes } from './tensor-ring-file.ts';
import type { WireFeeds, WireRunResult, WireTensor } from './worker-protocol.ts';
import { createSessionHost, type OnnxRuntimeModule } from './worker-session.ts';
import { inlineTensorTransport, ringTensorTransport, type WorkerTensorTransport } from './worker-tensor-transport.ts';

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

/**
 * onnxruntime itself, keeping what each run returned so a test can see what
 * became of that memory; `answer` may replace a run's outputs.
 */
function recordingRuntime(
  answer: (feeds: InferenceSession.FeedsType, outputs: Record<string, OnnxValue>) => Record<string, OnnxValue> = (
    _,
    outputs,
  ) => outputs,
) {
  const returned: Record<string, OnnxValue>[] = [];
  const runtime: OnnxRuntimeModule = {
    Tensor: ort.Tensor as unknown as OnnxRuntimeModule['Tensor'],
    InferenceSession: {
      async create(bytes, options) {
        const session = await ort.InferenceSession.create(bytes, options);
        const run = session.run.bind(session) as (
          feeds: InferenceSession.FeedsType,
          fetches: string[],
        ) => Promise<Record<string, OnnxValue>>;
        Object.assign(session, {
          run: async (feeds: InferenceSession.FeedsType, fetches: string[]) => {
            const outputs = answer(feeds, await run(feeds, fetches));
            returned.push(outputs);
            return outputs;
          },
        });
        return session;
      },
    },
  };
  return { runtime, returned };
}

const isFreed = (outputs: Record<string, OnnxValue>) =>
  (((outputs.y as ort.Tensor).data as Float32Array).buffer as ArrayBuffer).detached;

async function loadedHost(size: number, transport: WorkerTensorTransport, runtime: OnnxRuntimeModule) {
  const host = createSessionHost(runtime, transport);
  await host.load({
    type: 'load',
    requestId: 1,
    modelBytes: doublingModel(size),
    sessionOptions: sessionOptionsFor({ threads: 1, isDutyCycled: true }),
    executionProviders: ['cpu'],
  });
  return host;
}

/** A session host on the doubling model whose transport uses a 1 KiB output ring. */
async function hostWithRings(size: number, runtime = recordingRuntime().runtime) {
  const files = ringFiles();
  if (files === null) throw new Error('no memory file system');
  const transport = ringTensorTransport({
    inputFd: files.input.readOnly,
    outputFd: files.output.readWrite,
    capacity: 1024,
  });
  return { files, transport, host: await loadedHost(size, transport, runtime) };
}

describe('session host with tensor rings', () => {
  it.skipIf(!hasMemoryFileSystem)(
    'reads inputs from the input ring, and when the output ring is full sends what it has and waits for the agent',
    async () => {
      const size = 64; // 256 bytes a tensor: a 1 KiB ring holds four.
      const { runtime, returned } = recordingRuntime();
      const { files, transport, host } = await hostWithRings(size, runtime);
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
      // Copied into the ring, onnxruntime's own output memory was freed at once, not left to the collector.
      expect(returned).toHaveLength(12);
      expect(returned.every(isFreed)).toBe(true);
    },
  );

  it.skipIf(!hasMemoryFileSystem)('sends an output too large for the ring inline, in memory it keeps', async () => {
    const { runtime, returned } = recordingRuntime();
    const { host } = await hostWithRings(100, runtime);
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
    expect(returned.map(isFreed)).toEqual([false]);
  });

  it('frees the outputs of a batch that returns none (the benchmark), with or without rings', async () => {
    const { runtime, returned } = recordingRuntime();
    const host = await loadedHost(8, inlineTensorTransport, runtime);
    const ran = await host.runBatch(
      {
        type: 'run',
        requestId: 2,
        runs: [0, 1, 2].map((run) => ({ x: { dtype: 'float32', dims: [8], data: runInput(run, 8) } })),
        outputNames: ['y'],
        returnOutputs: false,
      },
      () => {},
    );
    expect(ran.results.map((result) => result.outputs)).toEqual([{}, {}, {}]);
    expect(returned.map(isFreed)).toEqual([true, true, true]);
  });

  it.skipIf(!hasMemoryFileSystem)(
    "never frees an input's memory, even where the runtime hands it back as an output",
    async () => {
      const size = 8;
      // As if a runtime passed an input through without copying it: the output is the input's own tensor.
      const { runtime, returned } = recordingRuntime((feeds) => ({ y: feeds.x as ort.Tensor }));
      const { files, host } = await hostWithRings(size, runtime);
      const inputSpace = new RingSpace();
      const runs: WireFeeds[] = [0, 1].map((run) => {
        const data = runInput(run, size);
        const offset = inputSpace.take(data.byteLength) as number;
        writeRingBytes(files.input.readWrite, offset, data);
        return { x: { dtype: 'float32', dims: [size], ring: { offset, byteLength: data.byteLength } } };
      });
      const ran = await host.runBatch(
        { type: 'run', requestId: 2, runs, outputNames: ['y'], returnOutputs: true },
        () => {},
      );
      // Both runs read their input into the same reused memory, which therefore is still usable after the first.
      expect(returned.map(isFreed)).toEqual([false, false]);
      const outputs = ran.results.map((result) => result.outputs.y as WireTensor).filter(isTensorRef);
      expect(outputs).toHaveLength(2);
      expect(outputs.map((y) => Array.from(readRingTensor(files.output.readOnly, y) as Float32Array))).toEqual([
        Array.from(runInput(0, size)),
        Array.from(runInput(1, size)),
      ]);
    },
  );

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
