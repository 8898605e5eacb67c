/**
 * Jobs end to end: `run-job` as a real process, real sandboxed workers, real
 * SIGKILL preemption. Training must really learn (Iris), resume from its
 * checkpoint with results identical to an uninterrupted run, and inference
 * must be bit-identical from one run to the next.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../native/jobs/blob-ref.ts';
import { CheckpointStore } from '../../native/jobs/checkpoint-store.ts';
import { irisAccuracy, irisTestJob, irisTrainingJob } from '../../native/jobs/examples/iris-jobs.ts';
import { writeExampleJob } from '../../native/jobs/examples/write-example-job.ts';
import type { JobOutcome } from '../../native/jobs/job-outcome.ts';
import type { InferenceResult, TrainingResult } from '../../native/jobs/job-spec.ts';
import { type FinishedJob, LocalJobQueue } from '../../native/jobs/local-job-queue.ts';
import { startJob } from '../../native/jobs/start-job.ts';

const CLI = path.resolve(import.meta.dirname, '../../bin/idlehive.js');
let scratch: string;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-jobs-'));
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

function runCli(args: string[]) {
  return spawnSync(process.execPath, [CLI, '--home', path.join(scratch, 'home'), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function completed<R>(outcome: JobOutcome): R {
  if (outcome.status !== 'completed') throw new Error(`the job did not complete: ${JSON.stringify(outcome)}`);
  return outcome.result as R;
}

function probabilities(result: InferenceResult): Float32Array {
  const tensor = result.outputs[0]?.[0];
  if (tensor?.data.kind !== 'inline') throw new Error('expected inline output');
  const bytes = Buffer.from(tensor.data.base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

describe('compute jobs', () => {
  let uninterrupted: TrainingResult;

  it('trains an MLP on Iris through run-job to at least 0.9 test accuracy', async () => {
    const file = writeExampleJob('iris-training', path.join(scratch, 'iris'));
    const run = runCli(['run-job', file, '--json', '--threads', '1']);
    expect(run.status, run.stderr).toBe(0);
    uninterrupted = completed<TrainingResult>(JSON.parse(run.stdout));
    expect(uninterrupted.stepsCompleted).toBe(300);
    expect(uninterrupted.resumedFromStep).toBeNull();
    const losses = uninterrupted.losses.map((record) => record.loss);
    expect(losses.slice(-20).reduce((a, b) => a + b) / 20).toBeLessThan((losses[0] as number) / 5);

    const blobs = new MemoryBlobStore();
    const test = irisTestJob((bytes) => blobs.put(bytes), uninterrupted.finalParams);
    const checkpoints = new CheckpointStore(path.join(scratch, 'unused'));
    const scored = completed<InferenceResult>(await startJob(test, { blobs, checkpoints, threads: 1 }).outcome);
    expect(irisAccuracy(probabilities(scored))).toBeGreaterThanOrEqual(0.9);
  });

  it('resumes a preempted training job from its checkpoint with results identical to an uninterrupted run', async () => {
    const blobs = new MemoryBlobStore();
    const spec = irisTrainingJob((bytes) => blobs.put(bytes));
    const checkpoints = new CheckpointStore(path.join(scratch, 'checkpoints'));
    let execution: ReturnType<typeof startJob> | null = null;
    execution = startJob(spec, {
      blobs,
      checkpoints,
      threads: 1,
      onProgress: (progress) => {
        if (progress.phase === 'running' && progress.done >= 120) void execution?.preempt();
      },
    });
    const preempted = await execution.outcome;
    expect(preempted.status).toBe('preempted');
    const checkpointStep = preempted.status === 'preempted' ? preempted.checkpointStep : null;
    expect(checkpointStep).toBeGreaterThanOrEqual(120);
    expect(checkpointStep).toBeLessThan(300);
    expect(execution.preemptMs).toBeGreaterThan(0);

    const resumed = completed<TrainingResult>(await startJob(spec, { blobs, checkpoints, threads: 1 }).outcome);
    expect(resumed.resumedFromStep).toBe(checkpointStep);
    expect(resumed.paramsSha256).toBe(uninterrupted.paramsSha256);
    expect(resumed.losses).toEqual(uninterrupted.losses);
    expect(checkpoints.load(spec.jobId)).toBeNull();
  });

  it('requeues a preempted job first in line and finishes it after resume, training from its checkpoint', async () => {
    const blobs = new MemoryBlobStore();
    const training = irisTrainingJob((bytes) => blobs.put(bytes));
    const scoring = irisTestJob((bytes) => blobs.put(bytes), uninterrupted.finalParams, 'queued-scoring');
    const finished: FinishedJob[] = [];
    let preempting: Promise<void> | null = null;
    const queue: LocalJobQueue = new LocalJobQueue({
      context: {
        blobs,
        checkpoints: new CheckpointStore(path.join(scratch, 'queue-checkpoints')),
        threads: 1,
        onProgress: (progress) => {
          if (progress.jobId === training.jobId && progress.phase === 'running' && progress.done >= 60) {
            preempting ??= queue.preempt();
          }
        },
      },
      onFinished: (job) => finished.push(job),
    });
    queue.enqueue('training', training);
    queue.enqueue('scoring', scoring);
    await new Promise<void>((resolve) => {
      const wait = setInterval(() => {
        if (preempting !== null) {
          clearInterval(wait);
          resolve();
        }
      }, 10);
    });
    await preempting;
    expect(queue.running).toBeNull();
    expect(queue.waiting.map((job) => [job.id, job.preemptions])).toEqual([
      ['training', 1],
      ['scoring', 0],
    ]);
    queue.resume();
    await queue.idle();
    expect(finished.map((done) => [done.job.id, done.outcome.status])).toEqual([
      ['training', 'completed'],
      ['scoring', 'completed'],
    ]);
    const resumed = completed<TrainingResult>(finished[0]?.outcome ?? { status: 'failed', code: 'none', message: '' });
    expect(resumed.resumedFromStep).toBeGreaterThanOrEqual(60);
    expect(resumed.paramsSha256).toBe(uninterrupted.paramsSha256);
  });

  it('gives bit-identical outputs for the same inference job run twice on CPU', async () => {
    const blobs = new MemoryBlobStore();
    const job = irisTestJob((bytes) => blobs.put(bytes), uninterrupted.finalParams, 'determinism');
    const context = { blobs, checkpoints: new CheckpointStore(path.join(scratch, 'unused')), threads: 2 };
    const first = completed<InferenceResult>(await startJob(job, context).outcome);
    const second = completed<InferenceResult>(await startJob(job, context).outcome);
    expect(second.outputSha256).toBe(first.outputSha256);
    expect(second.outputs).toEqual(first.outputs);
  });

  it('refuses a job whose blob does not match its hash, naming the rule, with a non-zero exit', () => {
    const directory = path.join(scratch, 'tampered');
    const file = writeExampleJob('iris-training', directory);
    const spec = JSON.parse(fs.readFileSync(file, 'utf8'));
    const modelFile = path.join(directory, 'blobs', spec.trainStep.sha256);
    const bytes = fs.readFileSync(modelFile);
    bytes.writeUInt8((bytes.at(-1) as number) ^ 0xff, bytes.length - 1);
    fs.writeFileSync(modelFile, bytes);
    const run = runCli(['run-job', file]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^Refused \(blob\.hash_mismatch\): the model has SHA-256 [0-9a-f]{64}; the job says/);
  });
});
