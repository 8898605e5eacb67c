/**
 * The agent <-> worker IPC contract, declared once and imported by both sides.
 * Each side validates every message it receives: the worker because requests
 * carry job data, the supervisor because the worker runs untrusted models in
 * native code and its replies are not trusted either.
 *
 * The channel is Node's IPC with `serialization: 'advanced'`, so model bytes and
 * tensors travel as typed arrays. Where the platform allows, a tensor's bytes
 * go through a tensor ring instead (tensor-ring.ts) and the message carries a
 * reference to them. Many runs go out in one request, and their results
 * stream back while the batch runs; bench/compute.ts measures the cost
 * against onnxruntime in-process (sandbox_throughput_ratio).
 */
import { z } from 'zod';
import { ExecutionProviderSchema, WorkerSessionOptionsSchema } from './session-options.ts';
import { type TensorPayload, TensorPayloadSchema } from './tensor-payload.ts';
import { TensorRefSchema } from './tensor-ring.ts';

/**
 * 2: results stream back in progress replies while a batch runs; a run request says whether outputs come back.
 * 3: tensors may be references into the tensor rings; the agent releases the output ring with 'release'.
 */
export const WORKER_PROTOCOL_VERSION = 3;

/** protobuf's own 2 GiB ceiling is higher; jobs are capped far lower by job validation. */
export const MAX_MODEL_BYTES = 1024 * 1024 * 1024;
export const MAX_RUNS_PER_BATCH = 65_536;
export const MAX_NAMES = 1024;
/**
 * While a batch runs the worker reports progress at least this often, so the
 * supervisor can enforce a per-run time limit without a message per run.
 */
export const PROGRESS_INTERVAL_MS = 50;
/**
 * Results stream back while the batch runs: the worker sends what it has once
 * the outputs it carries inline reach this many bytes (or the progress interval
 * is up). Below the kernel's socket buffer (about 208 KiB on Linux), so the
 * send completes at once and the agent copies the results out while the next
 * run computes; one reply at the end made the agent and the worker take turns,
 * which cost a 1.5 ms transformer run about 1 ms of transfer.
 */
export const RESULT_CHUNK_BYTES = 64 * 1024;
/**
 * A batch may wait in the worker behind the one it is running, so the worker
 * starts it the moment the last run ends instead of idling while those results
 * reach the agent and the next request comes back. Loads never queue.
 */
export const MAX_REQUESTS_IN_FLIGHT = 2;

const RequestIdSchema = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
const TensorNameSchema = z.string().min(1).max(512);
/** A tensor as a message carries it: its bytes inline, or where they are in a tensor ring. */
export const WireTensorSchema = z.union([TensorPayloadSchema, TensorRefSchema]);
export type WireTensor = z.infer<typeof WireTensorSchema>;
/** One run's inputs as the caller gives them. */
export type Feeds = Record<string, TensorPayload>;
export const WireFeedsSchema = z.record(TensorNameSchema, WireTensorSchema);
export type WireFeeds = z.infer<typeof WireFeedsSchema>;
/** A logical position in the output ring (tensor-ring.ts): a byte count that only grows. */
const RingPositionSchema = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

// ---- agent -> worker -------------------------------------------------------

export const LoadRequestSchema = z.strictObject({
  type: z.literal('load'),
  requestId: RequestIdSchema,
  modelBytes: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength > 0 && bytes.byteLength <= MAX_MODEL_BYTES, {
    message: `model bytes must be between 1 byte and ${MAX_MODEL_BYTES} bytes`,
  }),
  sessionOptions: WorkerSessionOptionsSchema,
  executionProviders: z.array(ExecutionProviderSchema).min(1).max(8),
});

export const RunRequestSchema = z.strictObject({
  type: z.literal('run'),
  requestId: RequestIdSchema,
  /** Many runs per message: one small inference per message reached only 0.61-0.86 of in-process throughput. */
  runs: z.array(WireFeedsSchema).min(1).max(MAX_RUNS_PER_BATCH),
  outputNames: z.array(TensorNameSchema).min(1).max(MAX_NAMES),
  /** false: only each run's time comes back (the benchmark, which discards outputs, so their transfer cannot skew it). */
  returnOutputs: z.boolean(),
});

export const PingRequestSchema = z.strictObject({
  type: z.literal('ping'),
  requestId: RequestIdSchema,
});

/** The agent has read every output-ring tensor before this position: the worker may write there again. */
export const ReleaseRequestSchema = z.strictObject({
  type: z.literal('release'),
  upTo: RingPositionSchema,
});

export const WorkerRequestSchema = z.discriminatedUnion('type', [
  LoadRequestSchema,
  RunRequestSchema,
  PingRequestSchema,
  ReleaseRequestSchema,
]);
export type LoadRequest = z.infer<typeof LoadRequestSchema>;
export type RunRequest = z.infer<typeof RunRequestSchema>;
export type PingRequest = z.infer<typeof PingRequestSchema>;
export type ReleaseRequest = z.infer<typeof ReleaseRequestSchema>;
export type WorkerRequest = z.infer<typeof WorkerRequestSchema>;

// ---- worker -> agent -------------------------------------------------------

const DurationMsSchema = z.number().min(0).max(Number.MAX_SAFE_INTEGER);

export const ReadyReplySchema = z.strictObject({
  type: z.literal('ready'),
  protocolVersion: z.literal(WORKER_PROTOCOL_VERSION),
  /** The pid as the worker sees it (inside a PID namespace this is not the host's pid). */
  pid: z.int().min(1),
  nodeVersion: z.string().max(64),
  onnxruntimeVersion: z.string().max(64),
  supportedBackends: z.array(z.strictObject({ name: z.string().max(64), bundled: z.boolean() })).max(32),
  /** From process start to onnxruntime loaded, measured by the worker. */
  startupMs: DurationMsSchema,
});

const ValueInfoSchema = z.strictObject({
  name: TensorNameSchema,
  /** null for values that are not tensors (sequences, maps). */
  dtype: z.string().max(32).nullable(),
  dims: z.array(z.union([z.int(), z.string().max(256)])).max(64),
});
export type ValueInfo = z.infer<typeof ValueInfoSchema>;

export const LoadedReplySchema = z.strictObject({
  type: z.literal('loaded'),
  requestId: RequestIdSchema,
  inputs: z.array(ValueInfoSchema).max(MAX_NAMES),
  outputs: z.array(ValueInfoSchema).max(MAX_NAMES),
  loadMs: DurationMsSchema,
});

export const WireRunResultSchema = z.strictObject({
  /** Empty when the request asked for no outputs. */
  outputs: z.record(TensorNameSchema, WireTensorSchema),
  /** Time inside onnxruntime's run for this one run, measured in the worker. */
  runMs: DurationMsSchema,
});
export type WireRunResult = z.infer<typeof WireRunResultSchema>;
/** A run's result as the supervisor hands it on: every output's bytes in hand. */
export interface RunResult {
  outputs: Record<string, TensorPayload>;
  runMs: number;
}

export const ProgressReplySchema = z.strictObject({
  type: z.literal('progress'),
  requestId: RequestIdSchema,
  /** Runs finished so far in this batch. */
  completedRuns: z.int().min(0).max(MAX_RUNS_PER_BATCH),
  /** The results of the runs finished since the previous reply, in order. */
  results: z.array(WireRunResultSchema).max(MAX_RUNS_PER_BATCH),
  /** The output ring's position after the last tensor these results put there: release up to it once read. */
  ringEnd: RingPositionSchema,
});

/** The batch is done: the results not yet sent in progress replies. */
export const RanReplySchema = z.strictObject({
  type: z.literal('ran'),
  requestId: RequestIdSchema,
  results: z.array(WireRunResultSchema).max(MAX_RUNS_PER_BATCH),
  ringEnd: RingPositionSchema,
});

export const PongReplySchema = z.strictObject({
  type: z.literal('pong'),
  requestId: RequestIdSchema,
});

/**
 * What the worker can say went wrong. `out_of_memory` is an allocation that the
 * memory limit refused; `bad_request` a message that failed this schema.
 */
export const WorkerErrorCodeSchema = z.enum([
  'bad_request',
  'busy',
  'not_loaded',
  'load_failed',
  'run_failed',
  'out_of_memory',
]);
export type WorkerErrorCode = z.infer<typeof WorkerErrorCodeSchema>;

export const ErrorReplySchema = z.strictObject({
  type: z.literal('error'),
  /** null when the request was too malformed to carry a usable id. */
  requestId: RequestIdSchema.nullable(),
  code: WorkerErrorCodeSchema,
  message: z.string().max(4096),
});

export const WorkerReplySchema = z.discriminatedUnion('type', [
  ReadyReplySchema,
  LoadedReplySchema,
  ProgressReplySchema,
  RanReplySchema,
  PongReplySchema,
  ErrorReplySchema,
]);
export type ReadyReply = z.infer<typeof ReadyReplySchema>;
export type LoadedReply = z.infer<typeof LoadedReplySchema>;
export type ProgressReply = z.infer<typeof ProgressReplySchema>;
export type RanReply = z.infer<typeof RanReplySchema>;
export type PongReply = z.infer<typeof PongReplySchema>;
export type ErrorReply = z.infer<typeof ErrorReplySchema>;
export type WorkerReply = z.infer<typeof WorkerReplySchema>;

/** A short, single-line summary of a schema failure, safe to send back and to show. */
export function describeSchemaError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid message';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'message';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : '';
  return `${where}: ${issue.message}${more}`.slice(0, 1000);
}

/** The request id of a message that failed validation, when it has a usable one. */
export function requestIdOf(message: unknown): number | null {
  if (typeof message !== 'object' || message === null) return null;
  const parsed = RequestIdSchema.safeParse((message as { requestId?: unknown }).requestId);
  return parsed.success ? parsed.data : null;
}
