/**
 * What the worker does with onnxruntime: create a session from model bytes and
 * run batches of feeds. Free of IPC, so the same code serves the worker process
 * and the in-process baseline it is measured against.
 */
import type { InferenceSession, OnnxValue, Tensor } from 'onnxruntime-node';
import { stripTerminalColours } from './output-tail.ts';
import { toOrtSessionOptions } from './session-options.ts';
import { isTensorDtype, payloadBytes, type TensorArray, type TensorPayload, tensorPayload } from './tensor-payload.ts';
import { isTensorRef } from './tensor-ring.ts';
import {
  type ErrorReply,
  type LoadedReply,
  type LoadRequest,
  PROGRESS_INTERVAL_MS,
  type RanReply,
  RESULT_CHUNK_BYTES,
  type RunRequest,
  type ValueInfo,
  type WireRunResult,
  type WireTensor,
  type WorkerErrorCode,
} from './worker-protocol.ts';
import { inlineTensorTransport, type WorkerTensorTransport } from './worker-tensor-transport.ts';

/** The parts of the onnxruntime-node module the worker uses (the module itself in production). */
export interface OnnxRuntimeModule {
  InferenceSession: { create(bytes: Uint8Array, options: InferenceSession.SessionOptions): Promise<InferenceSession> };
  Tensor: new (type: TensorPayload['dtype'], data: TensorArray, dims: readonly number[]) => Tensor;
}

export class WorkerRequestError extends Error {
  readonly code: WorkerErrorCode;

  constructor(code: WorkerErrorCode, message: string) {
    super(message);
    this.name = 'WorkerRequestError';
    this.code = code;
  }
}

/**
 * onnxruntime reports a refused allocation as an ordinary error; under the
 * worker's memory limit that is the job asking for more than it may use.
 */
const ALLOCATION_FAILURE = /failed to allocate memory|bad_alloc|array buffer allocation failed|out of memory/i;

export function classifyRuntimeError(phase: 'load' | 'run', error: unknown): WorkerRequestError {
  const message = oneLine(error instanceof Error ? error.message : String(error));
  if (ALLOCATION_FAILURE.test(message)) return new WorkerRequestError('out_of_memory', message);
  return new WorkerRequestError(phase === 'load' ? 'load_failed' : 'run_failed', message);
}

export function errorReply(requestId: number | null, error: unknown): ErrorReply {
  const failure = error instanceof WorkerRequestError ? error : classifyRuntimeError('run', error);
  return { type: 'error', requestId, code: failure.code, message: failure.message.slice(0, 4096) };
}

export interface SessionHost {
  load(request: LoadRequest): Promise<LoadedReply>;
  /**
   * Streams results through onProgress while the batch runs; the final reply
   * holds the rest. ringEnd: the output ring's position after those results.
   */
  runBatch(
    request: RunRequest,
    onProgress: (completedRuns: number, results: WireRunResult[], ringEnd: number) => void,
  ): Promise<RanReply>;
  readonly isLoaded: boolean;
}

export function createSessionHost(
  ort: OnnxRuntimeModule,
  transport: WorkerTensorTransport = inlineTensorTransport,
): SessionHost {
  let session: InferenceSession | null = null;

  return {
    get isLoaded() {
      return session !== null;
    },

    async load(request) {
      const started = performance.now();
      const previous = session;
      session = null;
      // One model per worker at a time: the old session's memory goes before the new one is built.
      await previous?.release();
      try {
        session = await ort.InferenceSession.create(
          request.modelBytes,
          toOrtSessionOptions(request.sessionOptions, request.executionProviders),
        );
      } catch (error) {
        throw classifyRuntimeError('load', error);
      }
      return {
        type: 'loaded',
        requestId: request.requestId,
        inputs: session.inputMetadata.map(valueInfo),
        outputs: session.outputMetadata.map(valueInfo),
        loadMs: performance.now() - started,
      };
    },

    async runBatch(request, onProgress) {
      const active = session;
      if (active === null) throw new WorkerRequestError('not_loaded', 'no model is loaded: send a load request first');
      checkNames('output', request.outputNames, active.outputNames);
      transport.beginBatch();
      let pending: WireRunResult[] = [];
      let pendingInlineBytes = 0;
      /** The output ring's position after the pending results' last tensor. */
      let pendingRingEnd = transport.mark;
      /** The same, for what has been sent. */
      let sentRingEnd = transport.mark;
      let completedRuns = 0;
      let lastReport = performance.now();
      const flush = () => {
        onProgress(completedRuns, pending, pendingRingEnd);
        pending = [];
        pendingInlineBytes = 0;
        sentRingEnd = pendingRingEnd;
      };
      for (const wireFeeds of request.runs) {
        checkNames('input', Object.keys(wireFeeds), active.inputNames);
        const ortFeeds: Record<string, Tensor> = {};
        for (const [name, wire] of Object.entries(wireFeeds)) {
          const tensor = transport.receive(name, wire);
          ortFeeds[name] = new ort.Tensor(tensor.dtype, tensor.data, tensor.dims);
        }
        const started = performance.now();
        let outputs: Record<string, OnnxValue>;
        try {
          outputs = await active.run(ortFeeds, request.outputNames);
        } catch (error) {
          throw classifyRuntimeError('run', error);
        }
        const finished = performance.now();
        const payloads = request.returnOutputs ? toPayloads(outputs, request.outputNames) : {};
        const wireOutputs: Record<string, WireTensor> = {};
        for (const [name, payload] of Object.entries(payloads)) {
          let wire = transport.place(payload);
          if (wire === null) {
            // The ring is full of results the agent has not read yet: send those, wait until it has, then retry.
            // What this run placed already is not released meanwhile, so a tensor that still finds no room goes inline.
            if (pending.length > 0) flush();
            await transport.whenReleased(sentRingEnd);
            wire = transport.place(payload) ?? transport.inline(payload);
          }
          wireOutputs[name] = wire;
          if (!isTensorRef(wire)) pendingInlineBytes += payloadBytes([payload]);
        }
        // Once every output is in the ring (or none is wanted), onnxruntime's copies are garbage: freed now.
        if (Object.values(wireOutputs).every(isTensorRef)) freeRuntimeOutputs(outputs, ortFeeds);
        pending.push({ outputs: wireOutputs, runMs: finished - started });
        pendingRingEnd = transport.mark;
        completedRuns++;
        // Sent as soon as there is enough to be worth a message: the agent copies it out while the next run computes.
        if (pendingInlineBytes >= RESULT_CHUNK_BYTES || finished - lastReport >= PROGRESS_INTERVAL_MS) {
          flush();
          lastReport = finished;
        }
      }
      return { type: 'ran', requestId: request.requestId, results: pending, ringEnd: pendingRingEnd };
    },
  };
}

/**
 * Frees the memory onnxruntime returned a run's outputs in, by detaching it,
 * rather than leaving it to the garbage collector. Each output is an external
 * ArrayBuffer (1 MiB per GEMM run); V8 answers that much external memory with
 * a full collection every few dozen runs, whose marking threads compete with
 * onnxruntime's for the job's cores and whose final pause can land inside a
 * timed run. Freed here, the GEMM benchmark measured 351 to 387 GFLOP/s
 * against 269 to 286 without (ARCHITECTURE.md, "What the sandbox costs").
 * Only for outputs nothing refers to any more: copied into the ring, or not
 * wanted at all. onnxruntime-node copies even an output that is an input
 * passed through; should a version hand back the input's own memory instead,
 * that memory (reused run after run) is never detached.
 */
function freeRuntimeOutputs(outputs: Record<string, OnnxValue>, feeds: Record<string, Tensor>): void {
  const inputMemory = new Set(Object.values(feeds).map((feed) => (feed.data as TensorArray).buffer));
  for (const value of Object.values(outputs)) {
    const data = (value as Tensor).data;
    if (!ArrayBuffer.isView(data) || !(data.buffer instanceof ArrayBuffer)) continue;
    if (data.buffer.detached || inputMemory.has(data.buffer)) continue;
    try {
      data.buffer.transfer(0);
    } catch {
      // Memory that cannot be detached (an addon may forbid it) is left to the garbage collector, as before.
    }
  }
}

function checkNames(kind: 'input' | 'output', given: readonly string[], known: readonly string[]): void {
  for (const name of given) {
    if (!known.includes(name)) {
      throw new WorkerRequestError(
        'run_failed',
        `the model has no ${kind} named ${JSON.stringify(name)} (it has ${known.map((n) => JSON.stringify(n)).join(', ')})`,
      );
    }
  }
}

function toPayloads(outputs: Record<string, OnnxValue>, names: readonly string[]): Record<string, TensorPayload> {
  const payloads: Record<string, TensorPayload> = {};
  for (const name of names) {
    const value = outputs[name] as Tensor | undefined;
    if (value === undefined) throw new WorkerRequestError('run_failed', `the model produced no output named ${name}`);
    if (!isTensorDtype(value.type) || typeof value.data === 'string' || !ArrayBuffer.isView(value.data)) {
      throw new WorkerRequestError('run_failed', `output ${name} has type ${value.type}, which jobs cannot return`);
    }
    let data = value.data as TensorArray;
    // Where the runtime hands float16 back as a Float16Array, send its raw bits like every other float16.
    if (value.type === 'float16' && !(data instanceof Uint16Array)) {
      data = new Uint16Array(data.buffer, data.byteOffset, data.length);
    }
    payloads[name] = tensorPayload(value.type, value.dims, data as never);
  }
  return payloads;
}

function valueInfo(metadata: InferenceSession.ValueMetadata): ValueInfo {
  if (!metadata.isTensor) return { name: metadata.name, dtype: null, dims: [] };
  return { name: metadata.name, dtype: metadata.type, dims: [...metadata.shape] };
}

function oneLine(text: string): string {
  // onnxruntime adds colour codes and the C++ source location and signature; a reader needs neither.
  const cleaned = stripTerminalColours(text)
    .replace(/\/onnxruntime_src\/\S+:\d+ [^)]*\)\s*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > 1000 ? `${cleaned.slice(0, 1000)}…` : cleaned;
}
