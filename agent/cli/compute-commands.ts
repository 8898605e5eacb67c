/**
 * The compute commands of `idlehive`: `devices`, `benchmark`, `run-job` and
 * `example-job`. They work on this machine directly, without a running agent:
 * `run-job` is how a requester tests a job before submitting it, and how the
 * tests get in. `benchmark` stores its report in the ledger, so it refuses to
 * run while an agent (the ledger's owner) runs for the same home.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { formatBenchmark } from '../../native/benchmark/format-benchmark.ts';
import { runBenchmark } from '../../native/benchmark/run-benchmark.ts';
import { formatDevices } from '../../native/devices/format-devices.ts';
import { probeDevices } from '../../native/devices/probe-devices.ts';
import { CheckpointStore } from '../../native/jobs/checkpoint-store.ts';
import { DirectoryBlobSource } from '../../native/jobs/directory-blob-source.ts';
import { EXAMPLE_JOBS, type ExampleJobName, writeExampleJob } from '../../native/jobs/examples/write-example-job.ts';
import { formatJobOutcome } from '../../native/jobs/format-outcome.ts';
import { startJob } from '../../native/jobs/start-job.ts';
import { describeWorkerSandbox, prepareWorkerSandbox } from '../../native/sandbox/worker-sandbox.ts';
import { DEFAULT_MEMORY_LIMIT_BYTES } from '../../native/worker/worker-supervisor.ts';
import { IdlehiveError } from '../errors.ts';
import { homeLayout } from '../home.ts';
import { BenchmarkRepository } from '../ledger/benchmark-repository.ts';
import { openLedger } from '../ledger/open-ledger.ts';
import { isProcessAlive, readEndpointFile } from '../local-api/endpoint-file.ts';

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

export function registerComputeCommands(program: Command, home: () => string): void {
  program
    .command('devices')
    .description(
      "List this computer's compute devices, the onnxruntime execution providers that work on each, and how jobs are isolated.",
    )
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { json?: boolean }) => {
      const [devices, sandbox] = await Promise.all([probeDevices(), prepareWorkerSandbox().catch(() => null)]);
      const isolation = sandbox === null ? null : describeWorkerSandbox(sandbox, DEFAULT_MEMORY_LIMIT_BYTES);
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
      const layout = homeLayout(home());
      // The running agent owns the ledger and its jobs would compete with the measurement.
      const endpoint = readEndpointFile(layout.endpointFile);
      if (endpoint !== null && isProcessAlive(endpoint.pid)) {
        throw new IdlehiveError(
          'benchmark.agent_running',
          `An Idlehive agent is running for ${home()} (pid ${endpoint.pid}); its jobs would skew the figures and it owns the ledger. Stop it, run the benchmark, then start it again.`,
        );
      }
      const devices = await probeDevices();
      const report = await runBenchmark(devices, {
        mode: options.quick ? 'quick' : 'full',
        onProgress: (progress) => {
          if (options.json) return;
          const percent = Math.round(progress.fraction * 100);
          process.stderr.write(
            `\r\x1b[K${percent} % ${progress.device} ${progress.executionProvider} ${progress.workload}: ${progress.phase}`,
          );
        },
      });
      if (!options.json) process.stderr.write('\r\x1b[K');
      const db = openLedger(layout.ledgerFile);
      try {
        new BenchmarkRepository(db).save(report);
      } finally {
        db.close();
      }
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
