/**
 * `npm run bench:compute`: the compute figures, each measured side by side in
 * this one run, ending with one ratio line per goal of issue 3:
 *
 *   sandbox_throughput_ratio  sandboxed inference / in-process onnxruntime-node,
 *                             same model (the transformer block), same threads   goal >= 0.95
 *   preempt_p99_ms            100+ preemptions of a busy worker, call -> gone    goal <= 50
 *   benchmark_vs_raw_ratio    the benchmark's GEMM figure / a bare in-process
 *                             onnxruntime-node loop on the same graph             goal >= 0.97
 *   gemm_peak_fraction        the benchmark's GEMM GFLOP/s / the estimated peak
 *                             of the cores used
 *
 * Each phase runs in a Node process of its own (this script again, with
 * --phase): the in-process side of a ratio is onnxruntime in a process that
 * has done nothing else. In one process the phases changed each other: after
 * the preemption phase (100 workers started and killed from that process)
 * its own onnxruntime ran 20 to 45 % faster than in any fresh process, while
 * the sandboxed side did not change (ARCHITECTURE.md, "What the sandbox costs").
 * Sides are interleaved round by round, taking turns going first, so a
 * machine that gets busier half way through slows both sides alike; each
 * ratio is the median over pairs of rounds (see pairedRatio).
 * Both sides use the session options the measured path really gets: a job's
 * (its batches run back to back, so intra-op threads spin) and the
 * benchmark's. A spinning side keeps spinning for a while after its last run,
 * so each side waits SETTLE_MS before it is measured: it never shares the
 * cores with the other side's spinning threads.
 * Options: --threads N (default: physical cores), --preemptions N (default 100),
 * --phase NAME (one phase alone, printing its result as JSON last; needs --threads).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { percentile, summarizeRounds } from '../native/benchmark/benchmark-stats.ts';
import { type BenchmarkWorkload, benchmarkWorkloads, gemmWorkload } from '../native/benchmark/benchmark-workloads.ts';
import { benchmarkSessionOptions, measureWorkload } from '../native/benchmark/run-benchmark.ts';
import { probeDevices } from '../native/devices/probe-devices.ts';
import { prepareWorkerSandbox } from '../native/sandbox/worker-sandbox.ts';
import { sessionOptionsFor, toOrtSessionOptions, type WorkerSessionOptions } from '../native/worker/session-options.ts';
import { payloadBytes } from '../native/worker/tensor-payload.ts';
import { TENSOR_RING_BYTES } from '../native/worker/tensor-ring.ts';
import type { Feeds } from '../native/worker/worker-protocol.ts';
import { startWorker, type WorkerHandle } from '../native/worker/worker-supervisor.ts';

const PHASES = ['throughput', 'duty-cycled', 'gemm', 'preemption'] as const;
type Phase = (typeof PHASES)[number];
/** A phase's last line: its result as JSON, for the parent process. */
const RESULT_PREFIX = 'phase-result=';

const { values } = parseArgs({
  options: {
    threads: { type: 'string' },
    preemptions: { type: 'string', default: '100' },
    phase: { type: 'string' },
  },
});
const phase = values.phase as Phase | undefined;
if (phase !== undefined && (!PHASES.includes(phase) || values.threads === undefined)) {
  process.stderr.write(`--phase takes one of ${PHASES.join(', ')}, with --threads N\n`);
  process.exit(2);
}
const threads = Number(values.threads ?? (await probeDevices()).cpu.physicalCores);
if (!Number.isInteger(threads) || threads < 1) {
  process.stderr.write(`--threads takes a whole number of threads, at least 1 (got ${values.threads})\n`);
  process.exit(2);
}
const preemptions = Math.max(100, Number(values.preemptions));
// What startJob gives a job by default: its batches follow each other, so it is not duty-cycled.
const jobOptions = sessionOptionsFor({ threads, isDutyCycled: false });
/** An even number: rounds pair up, one with each side first. */
const ROUNDS = 20;
const GEMM_ROUNDS = 10;
/** onnxruntime's intra-op threads spin for about 35 ms of CPU after a run before they block (measured here). */
const SETTLE_MS = 100;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

const line = (text: string) => process.stdout.write(`${text}\n`);
const fixed = (value: number, digits = 3) => value.toFixed(digits);
const median = (list: readonly number[]) => percentile(list, 50);

/**
 * The median over pairs of rounds (one with each side first) of each pair's geometric mean: whatever
 * going first or second does to a side cancels out within a pair, and the median drops the noisy pairs.
 */
function pairedRatio(ratios: readonly number[]): number {
  const pairs: number[] = [];
  for (let i = 0; i + 1 < ratios.length; i += 2)
    pairs.push(Math.sqrt((ratios[i] as number) * (ratios[i + 1] as number)));
  return median(pairs);
}

/**
 * Both sides of one round, taking turns going first (the first side in even rounds, the second in odd ones),
 * so neither always runs just after the other; the results come back in the order the sides were given.
 */
async function inTurns<A, B>(round: number, first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
  if (round % 2 === 0) {
    const a = await first();
    return [a, await second()];
  }
  const b = await second();
  return [await first(), b];
}

/** Every figure here moves with the machine's other load, so the output carries it (Windows has no load average). */
const loadAverage = (when: string) => {
  if (process.platform !== 'win32')
    line(
      `load average ${when}: ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(', ')}`,
    );
};

function inProcessFeeds(feed: Feeds): Record<string, ort.Tensor> {
  return Object.fromEntries(
    Object.entries(feed).map(([name, tensor]) => [name, new ort.Tensor(tensor.dtype, tensor.data, tensor.dims)]),
  );
}

async function inProcessSession(workload: BenchmarkWorkload, options: WorkerSessionOptions) {
  return ort.InferenceSession.create(workload.modelBytes, toOrtSessionOptions(options, ['cpu']));
}

const sandbox = phase === undefined ? null : await prepareWorkerSandbox();

async function loadedWorker(workload: BenchmarkWorkload, options: WorkerSessionOptions): Promise<WorkerHandle> {
  if (sandbox === null) throw new Error('workers are started only inside a phase');
  const worker = await startWorker({ sandbox });
  await worker.load({ modelBytes: workload.modelBytes, sessionOptions: options });
  return worker;
}

// ---- sandbox_throughput_ratio --------------------------------------------------------------

async function sandboxThroughputRatio(options: WorkerSessionOptions, what: string): Promise<number> {
  const [workload] = benchmarkWorkloads(['transformer']) as [BenchmarkWorkload];
  const worker = await loadedWorker(workload, options);
  const session = await inProcessSession(workload, options);
  // A round is what a job does: batches of many runs, the next one queued behind the running one
  // (run-inference-job.ts), so the figure is sustained throughput, not one batch's start and finish.
  const batchesPerRound = 4;
  const runsPerBatch = 25;
  const runsPerRound = batchesPerRound * runsPerBatch;
  // Each run its own input arrays, as a job's runs have: an array repeated within a batch (the benchmark's one
  // feed) crosses the input ring only once, which a job's distinct inputs never get.
  const distinctFeeds = Array.from({ length: runsPerBatch }, () =>
    Object.fromEntries(
      Object.entries(workload.feed).map(([name, tensor]) => [name, { ...tensor, data: tensor.data.slice() }]),
    ),
  ) as Feeds[];
  // The in-process loop runs the same inputs, in the same order. Where an input lies in memory moves
  // onnxruntime's speed here by up to a third (the same tensor copied to another address in the same process:
  // 1.45 against 1.86 ms per run); cycling through the same 25 arrays makes that an average on this side.
  const inProcessRuns = distinctFeeds.map(inProcessFeeds);
  const runInProcess = (run: number) => session.run(inProcessRuns[run % runsPerBatch] as Record<string, ort.Tensor>);
  // Outputs are taken as they arrive, as a job takes them (run-inference-job.ts hashes and encodes each one
  // in the call); here, like the in-process loop's, they are dropped: what the job then does with them costs
  // the same on both sides.
  const batch = () =>
    worker.runBatch({
      runs: distinctFeeds,
      outputNames: [...workload.outputNames],
      onOutputs: () => {},
    });
  // Warm both sides before measuring, with as many runs as it takes the sandboxed side to go once round its
  // input ring: a page of a ring costs a fault the first time each process touches it (about 0.2 ms per
  // 128 KiB here), once in a worker's life, like loading the model, which neither side's figure counts either.
  const inputBytesPerRun = payloadBytes(Object.values(workload.feed));
  const warmupBatches = Math.ceil(TENSOR_RING_BYTES / (inputBytesPerRun * runsPerBatch));
  for (let i = 0; i < warmupBatches; i++) await batch();
  for (let i = 0; i < warmupBatches * runsPerBatch; i++) await runInProcess(i);
  const ratios: number[] = [];
  const sandboxed: number[] = [];
  const local: number[] = [];
  /** Per round, the sandboxed side's ms per run inside onnxruntime (as the worker timed its runs). */
  const insideMs: number[] = [];
  // Runs per ms. The whole wall time counts, every result's transfer included.
  const sandboxedRate = async () => {
    await settle();
    const started = performance.now();
    let inside = 0;
    let next: ReturnType<typeof batch> | null = batch();
    for (let sent = 1; next !== null; sent++) {
      const current: ReturnType<typeof batch> = next;
      next = sent < batchesPerRound ? batch() : null;
      for (const result of (await current).results) inside += result.runMs;
    }
    insideMs.push(inside / runsPerRound);
    return runsPerRound / (performance.now() - started);
  };
  const inProcessRate = async () => {
    await settle();
    const started = performance.now();
    for (let i = 0; i < runsPerRound; i++) await runInProcess(i);
    return runsPerRound / (performance.now() - started);
  };
  for (let round = 0; round < ROUNDS; round++) {
    const [sandboxRate, localRate] = await inTurns(round, sandboxedRate, inProcessRate);
    sandboxed.push(sandboxRate * 1000);
    local.push(localRate * 1000);
    ratios.push(sandboxRate / localRate);
  }
  await worker.close();
  await session.release();
  line(
    `inference, ${workload.label}, ${what}: sandboxed ${fixed(median(sandboxed), 1)} runs/s, in-process ${fixed(median(local), 1)} runs/s (medians of ${ROUNDS} interleaved rounds of ${runsPerRound} runs; sandboxed in ${batchesPerRound} batches of ${runsPerBatch})`,
  );
  // Where the sandboxed side's time goes: inside onnxruntime, against the in-process loop's whole time per run.
  line(
    `  per run: sandboxed ${fixed(1000 / median(sandboxed))} ms, of which ${fixed(median(insideMs))} ms inside onnxruntime; in-process ${fixed(1000 / median(local))} ms`,
  );
  return pairedRatio(ratios);
}

// ---- preempt_p99_ms ------------------------------------------------------------------------

async function preemptP99(): Promise<number> {
  const workload = gemmWorkload();
  const exitMs: number[] = [];
  for (let i = 0; i < preemptions; i++) {
    const worker = await loadedWorker(workload, jobOptions);
    const busy = worker.runBatch({
      runs: Array.from({ length: 100 }, () => workload.feed),
      outputNames: [...workload.outputNames],
    });
    busy.catch(() => {});
    // Let the run get going: every intra-op thread is inside a MatMul when the kill arrives.
    await new Promise((resolve) => setTimeout(resolve, 30));
    exitMs.push((await worker.preempt()).exitMs);
  }
  line(
    `preemption of a busy worker, ${exitMs.length} times: p50 ${fixed(median(exitMs), 1)} ms, p99 ${fixed(percentile(exitMs, 99), 1)} ms, max ${fixed(Math.max(...exitMs), 1)} ms`,
  );
  return percentile(exitMs, 99);
}

// ---- benchmark_vs_raw_ratio and gemm_peak_fraction ----------------------------------------

async function gemmFigures(): Promise<{ ratio: number; benchmarkGflops: number }> {
  const workload = gemmWorkload();
  // The benchmark's own session options on both sides.
  const options = benchmarkSessionOptions(threads);
  const worker = await loadedWorker(workload, options);
  const session = await inProcessSession(workload, options);
  const feeds = inProcessFeeds(workload.feed);
  for (let i = 0; i < 2; i++) await session.run(feeds);
  const ratios: number[] = [];
  const benchmark: number[] = [];
  const raw: number[] = [];
  // The benchmark's own code path and arithmetic, with a short budget per round; returns its runs too.
  const benchmarkFigure = async () => {
    await settle();
    const rounds = await measureWorkload(worker, workload, 2000);
    const figure = summarizeRounds(rounds, workload.workPerRun, Number.POSITIVE_INFINITY).throughput as number;
    return { figure, runs: rounds.reduce((sum, r) => sum + r.runMs.length, 0) };
  };
  const bareFigure = async (runs: number) => {
    await settle();
    const started = performance.now();
    for (let i = 0; i < runs; i++) await session.run(feeds);
    return (workload.workPerRun * runs * 1000) / (performance.now() - started);
  };
  let runs = 0;
  for (let round = 0; round < GEMM_ROUNDS; round++) {
    // The bare loop runs as many runs as the benchmark's last round (this one's, when the benchmark goes first).
    const [figure, bare] = await inTurns(
      round,
      async () => {
        const measured = await benchmarkFigure();
        runs = measured.runs;
        return measured.figure;
      },
      () => bareFigure(runs),
    );
    benchmark.push(figure);
    raw.push(bare);
    ratios.push(figure / bare);
  }
  await worker.close();
  await session.release();
  line(
    `GEMM ${workload.label}: benchmark ${fixed(median(benchmark), 1)} GFLOP/s, bare in-process loop ${fixed(median(raw), 1)} GFLOP/s (medians of ${GEMM_ROUNDS} interleaved rounds)`,
  );
  return { ratio: pairedRatio(ratios), benchmarkGflops: median(benchmark) };
}

async function runPhase(name: Phase): Promise<unknown> {
  switch (name) {
    case 'throughput':
      return sandboxThroughputRatio(jobOptions, 'a job (spinning on)');
    case 'duty-cycled':
      // Not a goal line: the same with spinning off, as for a duty-cycled job, which a busy machine affects far less.
      return sandboxThroughputRatio(
        sessionOptionsFor({ threads, isDutyCycled: true }),
        'a duty-cycled job (spinning off)',
      );
    case 'gemm':
      return gemmFigures();
    case 'preemption':
      return preemptP99();
  }
}

/** One phase in a fresh Node process: its lines pass through as they come, and its result comes back. */
async function phaseInItsOwnProcess<T>(name: Phase): Promise<T> {
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      import.meta.filename,
      `--phase=${name}`,
      `--threads=${threads}`,
      `--preemptions=${preemptions}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let result: string | null = null;
  for await (const text of readline.createInterface({ input: child.stdout })) {
    if (text.startsWith(RESULT_PREFIX)) result = text.slice(RESULT_PREFIX.length);
    else line(text);
  }
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', resolve);
  });
  if (code !== 0 || result === null) throw new Error(`the ${name} phase failed (exit code ${code})`);
  return JSON.parse(result) as T;
}

if (phase !== undefined) {
  const result = `${RESULT_PREFIX}${JSON.stringify(await runPhase(phase))}\n`;
  // Out before exiting: writes to a pipe are asynchronous.
  await new Promise((resolve) => process.stdout.write(result, resolve));
  process.exit(0);
}

const devices = await probeDevices();
line(`cpu: ${devices.cpu.model}, ${devices.cpu.physicalCores} cores; threads used: ${threads}`);
line(`estimated peak: ${devices.cpu.peak?.method ?? 'unknown'}`);
loadAverage('at the start');
line(`session options, job (both sides of sandbox_throughput_ratio): ${JSON.stringify(jobOptions)}`);
const sandboxRatio = await phaseInItsOwnProcess<number>('throughput');
const dutyCycledRatio = await phaseInItsOwnProcess<number>('duty-cycled');
line(`sandboxed / in-process, duty-cycled job: ${fixed(dutyCycledRatio)}`);
const gemm = await phaseInItsOwnProcess<{ ratio: number; benchmarkGflops: number }>('gemm');
const preempt = await phaseInItsOwnProcess<number>('preemption');
const peak =
  devices.cpu.peak === null
    ? null
    : (devices.cpu.peak.gflops * Math.min(threads, devices.cpu.physicalCores)) / devices.cpu.physicalCores;
if (peak !== null)
  line(`estimated peak of the ${Math.min(threads, devices.cpu.physicalCores)} cores used: ${fixed(peak, 1)} GFLOP/s`);

loadAverage('at the end');
line(`sandbox_throughput_ratio=${fixed(sandboxRatio)}`);
line(`preempt_p99_ms=${fixed(preempt, 1)}`);
line(`benchmark_vs_raw_ratio=${fixed(gemm.ratio)}`);
line(`gemm_peak_fraction=${peak === null ? 'unknown' : fixed(gemm.benchmarkGflops / peak)}`);
