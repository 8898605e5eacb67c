/**
 * Runs a validated inference job in one sandboxed worker: load the model
 * (with the job's session-creation limit), then send the feeds in batches of
 * runsPerBatch (many runs per IPC message, the next one queued behind the
 * running one), each run under the job's time limit. Outputs come back in the spec's order with their canonical digest.
 */
import { APP_VERSION } from '../../agent/version.ts';
import type { WorkerSandbox } from '../sandbox/worker-sandbox.ts';
import type { ExecutionProvider } from '../worker/session-options.ts';
import { sessionOptionsFor } from '../worker/session-options.ts';
import type { TensorPayload } from '../worker/tensor-payload.ts';
import { canonicalTensorDigester } from './canonical-tensors.ts';
import type { JobProgress } from './job-outcome.ts';
import { type InferenceResult, InferenceResultSchema, JOB_SPEC_VERSION, type TensorSpec } from './job-spec.ts';
import { fromPayload, resultTensorSpec, toFeeds } from './job-tensors.ts';
import type { ValidatedInferenceJob } from './job-validation.ts';
import type { JobWorker } from './job-worker.ts';

export interface InferenceRunSettings {
  readonly threads: number;
  readonly isDutyCycled: boolean;
  readonly executionProvider: ExecutionProvider;
  readonly sandbox?: WorkerSandbox;
  readonly onProgress?: (progress: JobProgress) => void;
}

export async function runInferenceJob(
  job: ValidatedInferenceJob,
  worker: JobWorker,
  settings: InferenceRunSettings,
): Promise<InferenceResult> {
  const { spec } = job;
  const report = (phase: JobProgress['phase'], done: number) =>
    settings.onProgress?.({ jobId: spec.jobId, phase, done, total: job.feeds.length });
  report('starting', 0);
  const handle = await worker.start(spec.limits.maxMemoryMb * 1024 * 1024, settings.sandbox);
  report('loading', 0);
  const loaded = await handle.load({
    modelBytes: job.modelBytes,
    sessionOptions: sessionOptionsFor({ threads: settings.threads, isDutyCycled: settings.isDutyCycled }),
    executionProviders: [settings.executionProvider],
    timeoutMs: spec.limits.maxSessionCreateMs,
  });
  // Each run's outputs are taken as they arrive: hashed into the result's digest and encoded into its
  // tensors at once, so the agent keeps no raw copy of them (the supervisor hands them over in memory it
  // reuses, which spares a fresh copy of every output; see ARCHITECTURE.md, What the sandbox costs).
  const outputs: TensorSpec[][] = [];
  const digest = canonicalTensorDigester(job.feeds.length);
  const takeOutputs = (_run: number, payloads: Record<string, TensorPayload>) => {
    const group = spec.outputs.map((name) => fromPayload(name, payloads[name] as TensorPayload));
    digest.addGroup(group);
    outputs.push(group.map(resultTensorSpec));
  };
  let totalRunMs = 0;
  let runsDone = 0;
  const sendBatch = (start: number) => {
    if (start >= job.feeds.length) return null;
    const batch = handle.runBatch({
      runs: job.feeds.slice(start, start + spec.runsPerBatch).map(toFeeds),
      outputNames: [...spec.outputs],
      perRunTimeoutMs: spec.limits.maxRunMs,
      onOutputs: takeOutputs,
    });
    // Awaited in its turn below; this only keeps a failure before then from counting as unhandled.
    batch.catch(() => {});
    return batch;
  };
  // One batch always waits in the worker behind the running one, so the worker starts it the moment the
  // last run ends instead of idling while those results travel back (MAX_REQUESTS_IN_FLIGHT).
  let next = sendBatch(0);
  for (let start = 0; next !== null; start += spec.runsPerBatch) {
    const current = next;
    next = sendBatch(start + spec.runsPerBatch);
    const batch = await current;
    for (const result of batch.results) totalRunMs += result.runMs;
    runsDone += batch.results.length;
    report('running', runsDone);
  }
  await handle.close();
  return InferenceResultSchema.parse({
    specVersion: JOB_SPEC_VERSION,
    kind: 'inference',
    jobId: spec.jobId,
    executionProvider: settings.executionProvider,
    appVersion: APP_VERSION,
    onnxruntimeVersion: handle.info.onnxruntimeVersion,
    outputs,
    outputSha256: digest.finish(),
    stats: { sessionCreateMs: loaded.loadMs, totalRunMs, runs: runsDone },
  } satisfies InferenceResult);
}
