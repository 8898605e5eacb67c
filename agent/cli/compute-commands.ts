/**
 * The compute commands of `idlehive`: `devices`, `benchmark`, `run-job` and
 * `example-job`. They work on this machine directly, without a running agent:
 * `run-job` is how a requester tests a job before submitting it, and how the
 * tests get in. While an agent runs for the home, `devices` asks it (it probed
 * at start) and `benchmark` runs in it, since the agent owns the ledger the
 * report is stored in and must not run jobs beside the measurement.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import type { BenchmarkReport } from '../../native/benchmark/benchmark-report.ts';
import { formatBenchmark } from '../../native/benchmark/format-benchmark.ts';
import { runBenchmark } from '../../native/benchmark/run-benchmark.ts';
import { formatDevices } from '../../native/devices/format-devices.ts';
import { probeDevices } from '../../native/devices/probe-devices.ts';
import { CheckpointStore } from '../../native/jobs/checkpoint-store.ts';
import { DirectoryBlobSource } from '../../native/jobs/directory-blob-source.ts';
import { EXAMPLE_JOBS, type ExampleJobName, writeExampleJob } from '../../native/jobs/examples/write-example-job.ts';
import { formatJobOutcome } from '../../native/jobs/format-outcome.ts';
import { startJob } from '../../native/jobs/start-job.ts';
import type { BenchmarkProgressEvent } from '../compute/compute-views.ts';
import { probeDevicesView } from '../compute/device-catalog.ts';
import { IdlehiveError } from '../errors.ts';
import { homeLayout } from '../home.ts';
import { BenchmarkRepository } from '../ledger/benchmark-repository.ts';
import { openLedger } from '../ledger/open-ledger.ts';
import { LocalApiCallError } from '../local-api/client.ts';
import { connectToAgentIfRunning } from '../local-api/connect-to-agent.ts';
import { isProcessAlive, readEndpointFile } from '../local-api/endpoint-file.ts';
import { benchmarkProgressLine } from './benchmark-progress-line.ts';
import { benchmarkThroughAgent } from './benchmark-through-agent.ts';

/** A spec is JSON with inline tensors of at most a few MB; anything larger is not a job spec. */
const MAX_SPEC_BYTES = 64 * 1024 * 1024;

function threadsOption(value: string): number {
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new InvalidArgumentError('threads is a whole number from 1 to 256.');
  }
  return threads;
}

function write(json: boolean, value: unknown, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
}

export function readJobSpecFile(file: string): unknown {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new IdlehiveError('job.file', `There is no job file at ${file}.`);
  }
  if (stat.size > MAX_SPEC_BYTES) {
    throw new IdlehiveError(
      'job.file',
      `${file} is ${stat.size} bytes; a job spec is at most ${MAX_SPEC_BYTES} bytes (put large tensors in blobs).`,
    );
  }
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new IdlehiveError('job.file', `${file} is not valid JSON: ${(error as Error).message}.`);
  }
}

/** Execution providers only need probing when the job asks for more than the CPU. */
async function usableProvidersFor(spec: unknown) {
  const wanted = (spec as { executionProviders?: unknown }).executionProviders;
  if (Array.isArray(wanted) && wanted.every((provider) => provider === 'cpu')) return ['cpu' as const];
  const report = await probeDevices();
  return report.providers.filter((check) => check.usable).map((check) => check.provider);
}

/** An agent's error reply, printed as its sentence like any other IdlehiveError. */
function asIdlehiveError(error: unknown): never {
  throw error instanceof LocalApiCallError ? new IdlehiveError(error.code, error.message) : error;
}

/** No agent answers: measure here and store the report in the ledger ourselves. */
async function benchmarkInProcess(
  home: string,
  mode: BenchmarkReport['mode'],
  onProgress: (progress: Omit<BenchmarkProgressEvent, 'mode'>) => void,
): Promise<BenchmarkReport> {
  const layout = homeLayout(home);
  // An agent process that holds the ledger but did not answer: writing beside it is not safe.
  const endpoint = readEndpointFile(layout.endpointFile);
  if (endpoint !== null && isProcessAlive(endpoint.pid)) {
    throw new IdlehiveError(
      'benchmark.agent_not_answering',
      `An Idlehive agent (pid ${endpoint.pid}) owns ${home} but does not answer; stop it, then run the benchmark again.`,
    );
  }
  const report = await runBenchmark(await probeDevices(), { mode, onProgress });
  const db = openLedger(layout.ledgerFile);
  try {
    new BenchmarkRepository(db).save(report);
  } finally {
    db.close();
  }
  return report;
}

export function registerComputeCommands(program: Command, home: () => string): void {
  program
    .command('devices')
    .description(
      "List this computer's compute devices, the onnxruntime execution providers that work on each, and how jobs are isolated.",
    )
    .option('--refresh', 'with an agent running: detect again rather than show what it found when it started')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { refresh?: boolean; json?: boolean }) => {
      const agent = await connectToAgentIfRunning(home());
      let view: Awaited<ReturnType<typeof probeDevicesView>>;
      if (agent === null) view = await probeDevicesView(Date.now);
      else {
        try {
          view = await agent.api.call('devices.get', { refresh: Boolean(options.refresh) }).catch(asIdlehiveError);
        } finally {
          agent.api.close();
        }
      }
      const { devices, isolation } = view;
      write(Boolean(options.json), { devices, isolation }, formatDevices(devices, isolation));
    });

  program
    .command('benchmark')
    .description(
      'Measure this computer: each workload on each usable device and execution provider; stores the result.',
    )
    .option('--quick', 'about 20 s instead of about 60 s')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { quick?: boolean; json?: boolean }) => {
      const mode = options.quick ? 'quick' : 'full';
      const showProgress = (progress: Omit<BenchmarkProgressEvent, 'mode'>) => {
        if (!options.json) process.stderr.write(`\r\x1b[K${benchmarkProgressLine(progress)}`);
      };
      const agent = await connectToAgentIfRunning(home());
      let report: BenchmarkReport;
      if (agent === null) report = await benchmarkInProcess(home(), mode, showProgress);
      else {
        if (!options.json) process.stderr.write('Running in the agent; earning pauses until the benchmark is done.\n');
        try {
          report = await benchmarkThroughAgent(agent.api, mode, showProgress);
        } finally {
          agent.api.close();
        }
      }
      if (!options.json) process.stderr.write('\r\x1b[K');
      write(Boolean(options.json), report, formatBenchmark(report));
    });

  program
    .command('example-job')
    .description('Write a ready-to-run example job (spec and blobs) into a folder, to try `run-job` with.')
    .argument('<name>', `one of: ${EXAMPLE_JOBS.join(', ')}`)
    .argument('<dir>', 'the folder to write into')
    .action((name: string, directory: string) => {
      if (!(EXAMPLE_JOBS as readonly string[]).includes(name)) {
        throw new IdlehiveError('job.example', `There is no example job '${name}'; try ${EXAMPLE_JOBS.join(', ')}.`);
      }
      const file = writeExampleJob(name as ExampleJobName, directory);
      process.stdout.write(`Wrote ${file}; run it with: idlehive run-job ${file}\n`);
    });

  program
    .command('run-job')
    .description(
      'Run one job spec locally in the sandbox and print its result (blobs are files named by their SHA-256).',
    )
    .argument('<file>', 'the job spec (JSON)')
    .option('--blobs <dir>', 'the folder holding the job\'s blobs (default: "blobs" next to the spec)')
    .option('--threads <n>', 'threads the job may use (default: all cores)', threadsOption)
    .option('--json', 'print the outcome as machine-readable JSON')
    .action(async (file: string, options: { blobs?: string; threads?: number; json?: boolean }) => {
      const spec = readJobSpecFile(file);
      const blobs = new DirectoryBlobSource(options.blobs ?? path.join(path.dirname(path.resolve(file)), 'blobs'));
      const execution = startJob(spec, {
        blobs,
        checkpoints: new CheckpointStore(path.join(home(), 'checkpoints')),
        threads: options.threads ?? os.availableParallelism(),
        usableProviders: await usableProvidersFor(spec),
        onProgress: options.json
          ? undefined
          : (progress) => {
              if (progress.phase === 'running' && progress.total > 1) {
                process.stderr.write(`\r${progress.phase} ${progress.done}/${progress.total}`);
              }
            },
      });
      const outcome = await execution.outcome;
      if (!options.json) process.stderr.write('\r\x1b[K');
      write(Boolean(options.json), outcome, formatJobOutcome(outcome));
      if (outcome.status !== 'completed') {
        const code =
          outcome.status === 'rejected' ? outcome.rule : outcome.status === 'failed' ? outcome.code : 'job.preempted';
        // Already printed in full above; the error sets the exit status and names the code once more.
        throw new IdlehiveError(code, `the job did not complete (${code}).`);
      }
    });
}
