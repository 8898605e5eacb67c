/**
 * Runs the benchmark suite on every usable device and execution provider, in
 * the same sandboxed worker jobs run in (so it measures what a job gets).
 * Per workload: load the model, warm up and discard those runs, then measure
 * rounds of runs until the workload's share of the time budget is spent
 * (quick: about 20 s for the suite, full: about 60 s). Run times are measured
 * inside the worker around each session.run, so IPC is not counted; a round
 * is one message, so the CV over rounds catches a machine busy with other work.
 */
import { IdlehiveError } from '../../agent/errors.ts';
import { APP_VERSION } from '../../agent/version.ts';
import { CPU_DEVICE_ID } from '../devices/device-ids.ts';
import type { DeviceReport } from '../devices/device-report.ts';
import type { WorkerSandbox } from '../sandbox/worker-sandbox.ts';
import { type ExecutionProvider, sessionOptionsFor, type WorkerSessionOptions } from '../worker/session-options.ts';
import { startWorker, type WorkerHandle } from '../worker/worker-supervisor.ts';
import type { BenchmarkMode, BenchmarkReport, DeviceBenchmark, WorkloadResult } from './benchmark-report.ts';
import { compositeScore, percentile, type Round, summarizeRounds } from './benchmark-stats.ts';
import { type BenchmarkWorkload, benchmarkWorkloads, type WorkloadName } from './benchmark-workloads.ts';

export const SUITE_BUDGET_MS: Readonly<Record<BenchmarkMode, number>> = { quick: 20_000, full: 60_000 };
/** The rounds must agree this closely for a figure to be reported. */
export const MAX_CV: Readonly<Record<BenchmarkMode, number>> = { quick: 0.1, full: 0.05 };
const WARMUP_SHARE = 0.15;
const MIN_WARMUP_RUNS = 2;
const ROUNDS = 8;

export interface BenchmarkProgress {
  readonly device: string;
  readonly executionProvider: ExecutionProvider;
  readonly workload: WorkloadName;
  readonly phase: 'loading' | 'warmup' | 'measuring' | 'done';
  /** 0..1 of the whole suite on all devices. */
  readonly fraction: number;
}

export interface BenchmarkOptions {
  readonly mode: BenchmarkMode;
  /** Threads for CPU runs; the CPU's physical cores by default. */
  readonly threads?: number;
  readonly workloads?: readonly WorkloadName[];
  readonly sandbox?: WorkerSandbox;
  readonly onProgress?: (progress: BenchmarkProgress) => void;
  readonly clock?: () => number;
  /** Aborting kills the worker at once (a run cannot be cancelled otherwise); the run fails with 'benchmark.cancelled'. */
  readonly signal?: AbortSignal;
}

function cancelled(): IdlehiveError {
  return new IdlehiveError('benchmark.cancelled', 'The benchmark was stopped before it finished; nothing was stored.');
}

interface Target {
  readonly device: string;
  readonly name: string;
  readonly executionProvider: ExecutionProvider;
}

/** The CPU, then each GPU once per provider that works on it. */
export function benchmarkTargets(devices: DeviceReport): Target[] {
  const targets: Target[] = devices.cpu.providers.map((provider) => ({
    device: CPU_DEVICE_ID,
    name: devices.cpu.model,
    executionProvider: provider,
  }));
  for (const gpu of devices.gpus) {
    for (const provider of gpu.providers) targets.push({ device: gpu.id, name: gpu.name, executionProvider: provider });
  }
  return targets;
}

/** Back-to-back runs, as a job's batches: spinning between them is what a dedicated job does. */
export function benchmarkSessionOptions(threads: number): WorkerSessionOptions {
  return sessionOptionsFor({ threads, isDutyCycled: false });
}

/** Measures one workload in a worker that has its model loaded; returns the rounds, warm-up runs excluded. */
export async function measureWorkload(
  worker: WorkerHandle,
  workload: BenchmarkWorkload,
  budgetMs: number,
  onPhase: (phase: 'warmup' | 'measuring') => void = () => {},
): Promise<Round[]> {
  const run = async (count: number) =>
    (
      await worker.runBatch({
        runs: Array.from({ length: count }, () => workload.feed),
        outputNames: [...workload.outputNames],
        // Only the times are used: outputs left in the worker cost no transfer, so none can overlap a measured run.
        returnOutputs: false,
      })
    ).results.map((result) => result.runMs);
  onPhase('warmup');
  const warmupStarted = performance.now();
  const warmup: number[] = [];
  while (warmup.length < MIN_WARMUP_RUNS || performance.now() - warmupStarted < budgetMs * WARMUP_SHARE) {
    warmup.push(...(await run(1)));
  }
  onPhase('measuring');
  // Later warm-up runs are the better estimate of a run's cost; rounds then adapt to the wall time they
  // really take (transfers included), so the workload keeps to its share of the budget.
  const runMs = Math.max(0.01, percentile(warmup.slice(Math.floor(warmup.length / 2)), 50));
  const measureMs = budgetMs * (1 - WARMUP_SHARE);
  const roundMs = measureMs / ROUNDS;
  let runsPerRound = Math.max(1, Math.round(roundMs / runMs));
  const rounds: Round[] = [];
  const measureStarted = performance.now();
  // The next round always waits in the worker behind the running one, as a job's next batch does: with a
  // gap between rounds (the reply's trip and the next request's), each round's first run started cold
  // (13 against 8 ms per GEMM run measured here), which the bare loop it is compared with never does.
  let next: { runs: number; times: Promise<number[]> } | null = { runs: runsPerRound, times: run(runsPerRound) };
  let lastFinished = measureStarted;
  while (next !== null) {
    const current = next;
    next = { runs: runsPerRound, times: run(runsPerRound) };
    let times: number[];
    try {
      times = await current.times;
    } catch (error) {
      // The queued round fails with the worker too; it must not surface as an unhandled rejection.
      next.times.catch(() => {});
      throw error;
    }
    rounds.push({ runMs: times });
    const finished = performance.now();
    runsPerRound = Math.max(1, Math.round(roundMs / ((finished - lastFinished) / current.runs)));
    lastFinished = finished;
    if (rounds.length >= 3 && finished - measureStarted >= measureMs) {
      // The round already queued is measured too: dropping it would leave the worker busy after the call.
      rounds.push({ runMs: await next.times });
      next = null;
    }
  }
  return rounds;
}

function workloadResult(
  workload: BenchmarkWorkload,
  rounds: readonly Round[],
  mode: BenchmarkMode,
  peakGflops: number | null,
): WorkloadResult {
  const summary = summarizeRounds(rounds, workload.workPerRun, MAX_CV[mode]);
  return {
    workload: workload.name,
    label: workload.label,
    unit: workload.unit,
    throughput: summary.throughput,
    p50Ms: summary.p50Ms,
    p95Ms: summary.p95Ms,
    cv: summary.cv,
    runs: summary.runs,
    stable: summary.isStable,
    peakFraction:
      summary.throughput !== null && peakGflops !== null && workload.isBoundByPeak
        ? summary.throughput / peakGflops
        : null,
    note: summary.isStable
      ? null
      : `unstable: the rounds varied by ${(summary.cv * 100).toFixed(1)} % (more than ${MAX_CV[mode] * 100} %); is the computer busy?`,
  };
}

export async function runBenchmark(devices: DeviceReport, options: BenchmarkOptions): Promise<BenchmarkReport> {
  const clock = options.clock ?? Date.now;
  const startedAt = clock();
  const workloads = benchmarkWorkloads(options.workloads);
  const targets = benchmarkTargets(devices);
  const budgetMs = SUITE_BUDGET_MS[options.mode] / workloads.length;
  const cpuThreads = options.threads ?? devices.cpu.physicalCores;
  const results: DeviceBenchmark[] = [];
  let onnxruntimeVersion = devices.onnxruntimeVersion;
  const steps = targets.length * workloads.length;
  let step = 0;
  for (const target of targets) {
    if (options.signal?.aborted) throw cancelled();
    const threads = target.device === 'cpu' ? cpuThreads : 1;
    const peakGflops =
      target.device === 'cpu' && devices.cpu.peak !== null
        ? (devices.cpu.peak.gflops * Math.min(threads, devices.cpu.physicalCores)) / devices.cpu.physicalCores
        : null;
    const worker = await startWorker({
      exposeGpu: target.device !== 'cpu',
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    });
    onnxruntimeVersion = worker.info.onnxruntimeVersion;
    const workloadResults: WorkloadResult[] = [];
    const stopWorker = () => void worker.preempt();
    options.signal?.addEventListener('abort', stopWorker, { once: true });
    try {
      if (options.signal?.aborted) throw cancelled();
      for (const workload of workloads) {
        const report = (phase: BenchmarkProgress['phase']) =>
          options.onProgress?.({
            device: target.device,
            executionProvider: target.executionProvider,
            workload: workload.name,
            phase,
            // Workloads finished so far: the count already includes this one when it reports done.
            fraction: step / steps,
          });
        report('loading');
        await worker.load({
          modelBytes: workload.modelBytes,
          sessionOptions: benchmarkSessionOptions(threads),
          executionProviders: [target.executionProvider],
        });
        const rounds = await measureWorkload(worker, workload, budgetMs, report);
        workloadResults.push(workloadResult(workload, rounds, options.mode, peakGflops));
        step++;
        report('done');
      }
    } catch (error) {
      throw options.signal?.aborted ? cancelled() : error;
    } finally {
      options.signal?.removeEventListener('abort', stopWorker);
      await worker.close();
    }
    results.push({
      ...target,
      threads,
      workloads: workloadResults,
      score: compositeScore(
        workloadResults.map((result) => ({
          throughput: result.throughput,
          reference: workloads.find((workload) => workload.name === result.workload)?.reference ?? 1,
        })),
      ),
    });
  }
  return {
    mode: options.mode,
    startedAt,
    finishedAt: clock(),
    appVersion: APP_VERSION,
    onnxruntimeVersion,
    devices: results,
  };
}
