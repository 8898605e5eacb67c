/**
 * The sandboxed worker as the agent uses it: a real process, real onnxruntime
 * sessions, real SIGKILLs. Every way a worker can end is driven for real and
 * must come back as a typed error while this process keeps running.
 */
import fs from 'node:fs';
import ort from 'onnxruntime-node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IdlehiveError } from '../../agent/errors.ts';
import { buildGemmChain } from '../../native/onnx/graphs/gemm-chain.ts';
import { encodeModel } from '../../native/onnx/onnx-proto.ts';
import { hasTensorRings, prepareWorkerSandbox, type WorkerSandbox } from '../../native/sandbox/worker-sandbox.ts';
import { sessionOptionsFor, toOrtSessionOptions } from '../../native/worker/session-options.ts';
import { startWorker, type WorkerHandle } from '../../native/worker/worker-supervisor.ts';
import { TENSOR_RINGS_FLAG } from '../../native/worker/worker-tensor-transport.ts';
import { waitFor } from '../support/agent-process.ts';
import { isAlive } from '../support/process-tree.ts';
import {
  allocateByShapeModel,
  denseLayerModel,
  matMulChainModel,
  seededFloats,
  shapeFeed,
} from './worker-test-models.ts';

const options = sessionOptionsFor({ threads: 1, isDutyCycled: false });
let sandbox: WorkerSandbox;
const workers: WorkerHandle[] = [];

async function worker(extra: Parameters<typeof startWorker>[0] = {}): Promise<WorkerHandle> {
  const handle = await startWorker({ sandbox, ...extra });
  workers.push(handle);
  return handle;
}

beforeAll(async () => {
  sandbox = await prepareWorkerSandbox();
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((handle) => handle.close()));
});

// Where the platform allows, tensors cross through the tensor rings; the inline path is what other platforms use.
describe.each([
  ['through the tensor rings', true],
  ['inline over IPC', false],
] as const)('worker supervisor, tensors %s', (_, tensorRings) => {
  it('gives the same outputs as onnxruntime in this process, for every run of a batch', async () => {
    const model = denseLayerModel('batch', 16, 4);
    const handle = await worker({ tensorRings });
    expect(handle.launch.args.includes(TENSOR_RINGS_FLAG)).toBe(tensorRings && hasTensorRings(sandbox.plan));
    await handle.load({ modelBytes: model, sessionOptions: options });
    const runs = [1, 2, 3].map((seed) => ({
      x: { dtype: 'float32' as const, dims: [2, 16], data: seededFloats(32, seed) },
    }));
    const { results } = await handle.runBatch({ runs, outputNames: ['y'] });

    const session = await ort.InferenceSession.create(model, toOrtSessionOptions(options, ['cpu']));
    for (const [index, run] of runs.entries()) {
      const local = await session.run({ x: new ort.Tensor('float32', run.x.data, run.x.dims) });
      expect(results[index]?.outputs.y?.data).toEqual(local.y?.data);
      expect(results[index]?.outputs.y?.dims).toEqual([2, 4]);
    }
    await session.release();
  });

  it.runIf(tensorRings && process.platform === 'linux')(
    'maps both rings into the sandboxed worker and the agent: the shared-memory addon loads inside the sandbox',
    async () => {
      const handle = await worker({ tensorRings });
      await handle.load({ modelBytes: denseLayerModel('batch', 16, 4), sessionOptions: options });
      const ringMappings = (pid: number | 'self') =>
        fs
          .readFileSync(`/proc/${pid}/maps`, 'utf8')
          .split('\n')
          .filter((line) => line.includes('memfd:idlehive-tensor-ring'))
          .map((line) => line.split(/\s+/)[1]);
      // The worker reads its input ring and writes its output ring; the agent the other way round.
      expect(ringMappings(handle.pid).sort()).toEqual(['r--s', 'rw-s']);
      expect(ringMappings('self').length).toBeGreaterThanOrEqual(2);
      const { results } = await handle.runBatch({
        runs: [{ x: { dtype: 'float32', dims: [1, 16], data: seededFloats(16, 7) } }],
        outputNames: ['y'],
      });
      expect(results[0]?.outputs.y?.dims).toEqual([1, 4]);
      const mappedBefore = ringMappings('self').length;
      await handle.close();
      // The agent's side is unmapped just after the end is reported, not left to a collection (a mapping holds
      // the ring's memory).
      await new Promise((resolve) => setImmediate(resolve));
      expect(ringMappings('self').length).toBe(mappedBefore - 2);
    },
  );

  it('streams the results of a batch larger than one chunk back in run order, and leaves outputs out when asked', async () => {
    const model = denseLayerModel('batch', 16, 4);
    const handle = await worker({ tensorRings });
    expect(handle.launch.args.includes(TENSOR_RINGS_FLAG)).toBe(tensorRings && hasTensorRings(sandbox.plan));
    await handle.load({ modelBytes: model, sessionOptions: options });
    // 5000 x 4 floats: 80 KB per run, over RESULT_CHUNK_BYTES, so inline each run travels in its own progress reply.
    const rows = 5000;
    const runs = Array.from({ length: 12 }, (_, seed) => ({
      x: { dtype: 'float32' as const, dims: [rows, 16], data: seededFloats(rows * 16, seed + 1) },
    }));
    const { results } = await handle.runBatch({ runs, outputNames: ['y'] });
    expect(results).toHaveLength(runs.length);
    const session = await ort.InferenceSession.create(model, toOrtSessionOptions(options, ['cpu']));
    for (const [index, run] of runs.entries()) {
      const local = await session.run({ x: new ort.Tensor('float32', run.x.data, run.x.dims) });
      expect(results[index]?.outputs.y?.data).toEqual(local.y?.data);
    }
    await session.release();

    const timesOnly = await handle.runBatch({ runs, outputNames: ['y'], returnOutputs: false });
    expect(timesOnly.results).toHaveLength(runs.length);
    for (const result of timesOnly.results) {
      expect(result.outputs).toEqual({});
      expect(result.runMs).toBeGreaterThan(0);
    }
  });
  it('hands each run’s outputs to a consumer as they arrive, in order, and fails the batch with its error', async () => {
    const model = denseLayerModel('batch', 16, 4);
    const handle = await worker({ tensorRings });
    await handle.load({ modelBytes: model, sessionOptions: options });
    const runs = Array.from({ length: 6 }, (_, seed) => ({
      x: { dtype: 'float32' as const, dims: [3, 16], data: seededFloats(48, seed + 1) },
    }));
    const taken: { run: number; y: number[] }[] = [];
    const { results } = await handle.runBatch({
      runs,
      outputNames: ['y'],
      // The views are valid only during the call: keep a copy.
      onOutputs: (run, outputs) => taken.push({ run, y: Array.from(outputs.y?.data as Float32Array) }),
    });
    expect(results).toHaveLength(runs.length);
    for (const result of results) expect(result.outputs).toEqual({});
    expect(taken.map(({ run }) => run)).toEqual([0, 1, 2, 3, 4, 5]);
    const session = await ort.InferenceSession.create(model, toOrtSessionOptions(options, ['cpu']));
    for (const [index, run] of runs.entries()) {
      const local = await session.run({ x: new ort.Tensor('float32', run.x.data, run.x.dims) });
      expect(taken[index]?.y).toEqual(Array.from(local.y?.data as Float32Array));
    }
    await session.release();

    const failing = handle.runBatch({
      runs,
      outputNames: ['y'],
      onOutputs: () => {
        throw new IdlehiveError('job.output_too_large', 'too large to carry');
      },
    });
    await expect(failing).rejects.toMatchObject({ code: 'job.output_too_large' });
    // The worker is still usable afterwards.
    expect((await handle.runBatch({ runs, outputNames: ['y'] })).results).toHaveLength(runs.length);
  });
});

describe('worker supervisor', () => {
  it('queues one batch behind the running one and answers both in order; a third batch or a load is refused', async () => {
    const model = denseLayerModel('batch', 16, 4);
    const handle = await worker();
    await handle.load({ modelBytes: model, sessionOptions: options });
    const run = (seed: number) => ({
      x: { dtype: 'float32' as const, dims: [2, 16], data: seededFloats(32, seed) },
    });
    const first = handle.runBatch({ runs: [run(1), run(2)], outputNames: ['y'] });
    const second = handle.runBatch({ runs: [run(3)], outputNames: ['y'] });
    await expect(handle.runBatch({ runs: [run(4)], outputNames: ['y'] })).rejects.toMatchObject({
      code: 'worker.busy',
    });
    await expect(handle.load({ modelBytes: model, sessionOptions: options })).rejects.toMatchObject({
      code: 'worker.busy',
    });
    const answers = [...(await first).results, ...(await second).results];
    const session = await ort.InferenceSession.create(model, toOrtSessionOptions(options, ['cpu']));
    for (const [index, seed] of [1, 2, 3].entries()) {
      const local = await session.run({ x: new ort.Tensor('float32', run(seed).x.data, [2, 16]) });
      expect(answers[index]?.outputs.y?.data).toEqual(local.y?.data);
    }
    await session.release();
  });

  it('preempts a busy worker with SIGKILL: the run fails as preempted and the process is gone', async () => {
    const handle = await worker();
    await handle.load({ modelBytes: matMulChainModel(256, 400), sessionOptions: options });
    const x = { dtype: 'float32' as const, dims: [256, 256], data: seededFloats(256 * 256, 5) };
    const running = handle.runBatch({ runs: Array.from({ length: 50 }, () => ({ x })), outputNames: ['y'] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { exitMs } = await handle.preempt();
    await expect(running).rejects.toMatchObject({ code: 'worker.preempted' });
    expect(exitMs).toBeGreaterThan(0);
    await waitFor(() => (isAlive(handle.pid) ? null : true), 2000, `worker ${handle.pid} to be gone`);
    expect((await handle.ended).cause.kind).toBe('preempted');
    await expect(handle.runBatch({ runs: [{ x }], outputNames: ['y'] })).rejects.toMatchObject({
      code: 'worker.preempted',
    });
  });

  it.runIf(process.platform === 'linux')(
    'hands back what loading a model left behind, so a preemption has less memory to free',
    async () => {
      // 32 MiB of weights. What the load leaves (the IPC message, onnxruntime's parse of the model) came to about
      // 75 MiB more on top of the session's own memory; handed back, the worker grows by about 39 MiB here.
      const modelBytes = encodeModel(buildGemmChain({ size: 1024, depth: 8 }).model);
      const handle = await worker();
      const anonymousMiB = () => {
        const rollup = fs.readFileSync(`/proc/${handle.pid}/smaps_rollup`, 'utf8');
        return Number(/^Anonymous:\s+(\d+) kB/m.exec(rollup)?.[1]) / 1024;
      };
      await handle.ping();
      const before = anonymousMiB();
      await handle.load({ modelBytes, sessionOptions: options });
      // Answered after the release, which runs in the turn after the load's reply.
      await handle.ping();
      const growth = anonymousMiB() - before;
      expect(growth).toBeGreaterThan(modelBytes.byteLength / 2 ** 20);
      expect(growth).toBeLessThan((2 * modelBytes.byteLength) / 2 ** 20);
    },
  );

  it('ends a run that exceeds its time limit as a timeout, and kills the worker', async () => {
    const handle = await worker();
    await handle.load({ modelBytes: matMulChainModel(256, 2000), sessionOptions: options });
    const x = { dtype: 'float32' as const, dims: [256, 256], data: seededFloats(256 * 256, 5) };
    const error = await handle.runBatch({ runs: [{ x }], outputNames: ['y'], perRunTimeoutMs: 50 }).catch((e) => e);
    expect(error).toBeInstanceOf(IdlehiveError);
    expect(error.code).toBe('worker.timeout');
    expect(error.message).toMatch(/longer than its limit of 50 ms/);
    // The kernel closes a dying process's pipes (what the supervisor waits for) a moment before the process
    // leaves the process table; on a loaded machine a check right after can land in between.
    await waitFor(() => (isAlive(handle.pid) ? null : true), 2000, `worker ${handle.pid} to be gone`);
  });

  it('contains a run that allocates beyond the memory limit: a failed job with a reason', async () => {
    const handle = await worker({ memoryLimitBytes: 1024 ** 3 });
    await handle.load({ modelBytes: allocateByShapeModel(), sessionOptions: options });
    // 4 GiB of float32 zeros under a 1 GiB RLIMIT_DATA.
    const error = await handle
      .runBatch({ runs: [{ shape: shapeFeed(2 ** 30) }], outputNames: ['y'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdlehiveError);
    expect((error as IdlehiveError).code).toMatch(/^worker\.(out_of_memory|run_failed)$/);
    const small = await worker();
    await small.load({ modelBytes: allocateByShapeModel(), sessionOptions: options });
    const { results } = await small.runBatch({ runs: [{ shape: shapeFeed(8) }], outputNames: ['y'] });
    expect(Array.from(results[0]?.outputs.y?.data as Float32Array)).toEqual(new Array(8).fill(0));
  });

  it('reports a model the runtime refuses as a load failure, and keeps the worker usable', async () => {
    const handle = await worker();
    await expect(
      handle.load({ modelBytes: new Uint8Array([8, 8, 0x3a, 2, 0x0a, 0xff]), sessionOptions: options }),
    ).rejects.toMatchObject({ code: 'worker.load_failed' });
    expect(handle.isRunning).toBe(true);
    await handle.load({ modelBytes: denseLayerModel(1, 2, 2), sessionOptions: options });
    await expect(handle.runBatch({ runs: [{}], outputNames: ['nope'] })).rejects.toMatchObject({
      code: 'worker.run_failed',
    });
    expect(await handle.ping()).toBeGreaterThan(0);
  });

  it('refuses a malformed request before it reaches the worker', async () => {
    const handle = await worker();
    await expect(handle.runBatch({ runs: [], outputNames: ['y'] })).rejects.toMatchObject({
      code: 'worker.bad_request',
    });
    expect(handle.isRunning).toBe(true);
  });

  it('reports a crash of the worker process with its signal', async () => {
    const handle = await worker();
    const x = { dtype: 'float32' as const, dims: [256, 256], data: seededFloats(256 * 256, 5) };
    await handle.load({ modelBytes: matMulChainModel(256, 400), sessionOptions: options });
    const running = handle.runBatch({ runs: Array.from({ length: 20 }, () => ({ x })), outputNames: ['y'] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // What a segfault in native code looks like from outside: the process dies of a signal we did not send.
    process.kill(handle.pid, 'SIGSEGV');
    const error = await running.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'worker.crashed' });
    expect((error as Error).message).toMatch(/SIGSEGV|exit code 139/);
  });
});
