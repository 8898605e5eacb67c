/**
 * Runs the benchmark inside the agent, the ledger's owner, one run at a time.
 * While it runs the scheduler says `benchmarking`: its decision then allows
 * no device, so the provider loop preempts a running job and starts none, and
 * the run waits until that job's worker is gone before measuring, so the
 * figures describe this computer rather than this computer minus a job.
 * Progress and the end (stored report, or the reason it failed) are pushed to
 * every client; the run is not tied to the connection that started it.
 */
import type { Logger } from 'pino';
import type { BenchmarkMode, BenchmarkReport } from '../../native/benchmark/benchmark-report.ts';
import { runBenchmark } from '../../native/benchmark/run-benchmark.ts';
import { describeError, IdlehiveError, isIdlehiveError } from '../errors.ts';
import type { BenchmarkRepository } from '../ledger/benchmark-repository.ts';
import type { JournalRepository } from '../ledger/journal-repository.ts';
import type {
  BenchmarkFinishedEvent,
  BenchmarkHistory,
  BenchmarkProgressEvent,
  BenchmarkStarted,
  DevicesView,
} from './compute-views.ts';

export interface BenchmarkServiceOptions {
  devices: { get(options: { refresh: boolean }): Promise<DevicesView> };
  repository: BenchmarkRepository;
  /** Tells the scheduler a benchmark started or ended (it decides again at once). */
  setBenchmarking: (isBenchmarking: boolean) => void;
  /** Resolves once no job's worker runs (at once when none does). */
  whenNoJobRuns: () => Promise<void>;
  onProgress: (event: BenchmarkProgressEvent) => void;
  onFinished: (event: BenchmarkFinishedEvent) => void;
  journal: JournalRepository;
  logger: Logger;
  clock: () => number;
}

interface CurrentRun {
  mode: BenchmarkMode;
  startedAt: number;
  abort: AbortController;
  /** The CPU threads the benchmark's worker uses, once known (0 before). */
  threads: number;
  done: Promise<void>;
}

export class BenchmarkService {
  readonly #options: BenchmarkServiceOptions;
  #current: CurrentRun | null = null;
  #stopped = false;

  constructor(options: BenchmarkServiceOptions) {
    this.#options = options;
  }

  /** Starts a run and returns at once; progress and the end arrive through onProgress and onFinished. */
  start(mode: BenchmarkMode): BenchmarkStarted {
    if (this.#stopped) {
      throw new IdlehiveError('agent_stopping', 'The agent is stopping; run the benchmark after it has started again.');
    }
    const current = this.#current;
    if (current !== null) {
      throw new IdlehiveError(
        'benchmark.running',
        `A ${current.mode} benchmark is already running (started ${new Date(current.startedAt).toLocaleTimeString()}); wait for it to finish, then run another.`,
      );
    }
    const run: CurrentRun = {
      mode,
      startedAt: this.#options.clock(),
      abort: new AbortController(),
      threads: 0,
      done: Promise.resolve(),
    };
    this.#current = run;
    this.#options.setBenchmarking(true);
    this.#options.journal.append(run.startedAt, 'benchmark.started', { mode });
    run.done = this.#run(run);
    return { mode, startedAt: run.startedAt };
  }

  /** The newest stored report, or null when this computer was never benchmarked. */
  latest(): BenchmarkReport | null {
    return this.#options.repository.latest();
  }

  /** Stored runs with each device's score, newest first. */
  history(limit: number): BenchmarkHistory {
    return this.#options.repository.history(limit);
  }

  /** The CPU threads the benchmark keeps busy now: its own load, not another program's. */
  runningThreads(): number {
    return this.#current?.threads ?? 0;
  }

  /** Stops a run in progress (its worker is killed; nothing is stored) and waits until it has ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const current = this.#current;
    if (current === null) return;
    current.abort.abort();
    await current.done;
  }

  /** A progress report that cannot be pushed is logged: it must not cost the measurement. */
  #pushProgress(event: BenchmarkProgressEvent): void {
    try {
      this.#options.onProgress(event);
    } catch (error) {
      this.#options.logger.warn({ err: describeError(error), event }, 'benchmark progress not pushed');
    }
  }

  async #run(run: CurrentRun): Promise<void> {
    const { mode } = run;
    let finished: BenchmarkFinishedEvent;
    try {
      // The scheduler's decision has already preempted a running job; its worker must be gone before measuring.
      await this.#options.whenNoJobRuns();
      const { devices } = await this.#options.devices.get({ refresh: false });
      run.threads = devices.cpu.physicalCores;
      const report = await runBenchmark(devices, {
        mode,
        threads: run.threads,
        clock: this.#options.clock,
        signal: run.abort.signal,
        onProgress: (progress) => this.#pushProgress({ mode, ...progress }),
      });
      this.#options.repository.save(report);
      this.#options.journal.append(this.#options.clock(), 'benchmark.finished', {
        mode,
        scores: report.devices.map(({ device, executionProvider, score }) => ({ device, executionProvider, score })),
      });
      finished = { outcome: 'completed', report };
    } catch (error) {
      const code = isIdlehiveError(error) ? error.code : 'benchmark.failed';
      const message = isIdlehiveError(error)
        ? error.message
        : `The benchmark failed (${describeError(error)}); details are in the agent log.`;
      this.#options.logger.warn({ err: describeError(error), code, mode }, 'benchmark failed');
      this.#options.journal.append(this.#options.clock(), 'benchmark.failed', { mode, code });
      finished = { outcome: 'failed', mode, code, message };
    }
    // Earning may resume before anyone hears the result, and a client that hears it may start another run.
    this.#current = null;
    this.#options.setBenchmarking(false);
    this.#options.onFinished(finished);
  }
}
