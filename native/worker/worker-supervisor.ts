/**
 * Starts and supervises one sandboxed worker process (used by the agent).
 *
 * onnxruntime cannot cancel a running session, so every limit here is enforced
 * by killing the process: session creation and each run have a time limit,
 * preemption is SIGKILL, and a reply that breaks the protocol ends the worker
 * too. Whatever happens to the worker (a crash, the memory limit, the OOM
 * killer), the caller gets a typed error and the agent keeps running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { IdlehiveError } from '../../agent/errors.ts';
import { findSandboxedChildPid, parseBwrapInfo } from '../sandbox/sandboxed-pid.ts';
import {
  buildWorkerLaunchCommand,
  canUseTensorRings,
  INPUT_RING_FD,
  OUTPUT_RING_FD,
  type WorkerLaunchCommand,
} from '../sandbox/worker-launch-command.ts';
import { prepareWorkerSandbox, type WorkerSandbox } from '../sandbox/worker-sandbox.ts';
import { OutputTail } from './output-tail.ts';
import type { ExecutionProvider, WorkerSessionOptions } from './session-options.ts';
import { compactFeeds, compactTensor, compactTensorArray, payloadBytes, type TensorPayload } from './tensor-payload.ts';
import { isTensorRef, ReusedBuffers, RingSpace } from './tensor-ring.ts';
import { openTensorRingFile, type RingBytes, ringBytes } from './tensor-ring-file.ts';
import { type FailureContext, type WorkerEndCause, type WorkerPhase, workerEndError } from './worker-failure.ts';
import {
  describeSchemaError,
  type ErrorReply,
  type Feeds,
  LoadRequestSchema,
  MAX_REQUESTS_IN_FLIGHT,
  PingRequestSchema,
  PROGRESS_INTERVAL_MS,
  type ReadyReply,
  RunRequestSchema,
  type RunResult,
  type ValueInfo,
  type WireFeeds,
  type WireRunResult,
  type WorkerReply,
  WorkerReplySchema,
  type WorkerRequest,
} from './worker-protocol.ts';

/** Node and onnxruntime take about 0.6 GB of RLIMIT_DATA before any job allocates; below this nothing runs. */
export const MIN_MEMORY_LIMIT_BYTES = 1024 ** 3;
export const DEFAULT_MEMORY_LIMIT_BYTES = 4 * 1024 ** 3;
export const DEFAULT_HEAP_LIMIT_MB = 256;
export const DEFAULT_START_TIMEOUT_MS = 15_000;
/** A tiny model of nested If nodes is known to take about a minute to load; real models load in seconds. */
export const DEFAULT_LOAD_TIMEOUT_MS = 30_000;
export const DEFAULT_RUN_TIMEOUT_MS = 60_000;
export const DEFAULT_PING_TIMEOUT_MS = 5_000;
/** Time limits grow with the bytes a message carries, at a rate far below what IPC achieves (~1 GB/s here). */
const TRANSFER_BYTES_PER_MS = 50_000;
/** Event-loop hiccups in either process must not turn a run that is within its limit into a timeout. */
const DEADLINE_SLACK_MS = 250;
const OUTPUT_TAIL_BYTES = 16 * 1024;

export interface StartWorkerOptions {
  /** RLIMIT_DATA for the worker (Linux); at least MIN_MEMORY_LIMIT_BYTES. */
  memoryLimitBytes?: number;
  heapLimitMb?: number;
  startTimeoutMs?: number;
  /** Make GPU device nodes visible in the bubblewrap view (GPU execution providers). */
  exposeGpu?: boolean;
  /** Defaults to this machine's probed sandbox; tests pass a narrower plan. */
  sandbox?: WorkerSandbox;
  /**
   * Tensors cross through the tensor rings where the platform allows (default);
   * false sends every tensor inline over IPC.
   */
  tensorRings?: boolean;
}

export interface LoadOptions {
  modelBytes: Uint8Array;
  /** From sessionOptionsFor(): never from the job. */
  sessionOptions: WorkerSessionOptions;
  executionProviders?: ExecutionProvider[];
  timeoutMs?: number;
}

export interface LoadedModel {
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  /** Session creation inside the worker. */
  loadMs: number;
  /** From the call to the reply, transfer included. */
  wallMs: number;
}

export interface RunBatchOptions {
  runs: Feeds[];
  outputNames: string[];
  /** Each run must finish within this; the batch as a whole has no other limit. */
  perRunTimeoutMs?: number;
  /** false: results carry each run's time and no outputs (the benchmark). Default true. */
  returnOutputs?: boolean;
  /**
   * Takes each run's outputs as they arrive, in run order, instead of the
   * results holding them: their data are views of memory the next run's
   * outputs reuse, valid only during the call (keep a copy, or what you make
   * of them). The results then carry each run's time only. If it throws, the
   * batch fails with that error once it ends.
   */
  onOutputs?: (run: number, outputs: Record<string, TensorPayload>) => void;
}

export interface BatchResult {
  results: RunResult[];
  /** From the call to the reply, transfer included. */
  wallMs: number;
}

export interface PreemptResult {
  /** From the call until the worker process is gone (its pipes closed, so its memory is freed). */
  exitMs: number;
}

export interface WorkerEnd {
  cause: WorkerEndCause;
  /** null when the worker was closed on purpose. */
  error: IdlehiveError | null;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last output the worker wrote, for logs. */
  output: string;
}

export interface WorkerHandle {
  /** The worker's pid on this host (inside a sandbox too). */
  readonly pid: number;
  /** From spawn to the worker reporting onnxruntime loaded. */
  readonly startMs: number;
  readonly info: ReadyReply;
  readonly launch: Readonly<WorkerLaunchCommand>;
  readonly isRunning: boolean;
  /** Settles once the process is gone, whatever ended it. Never rejects. */
  readonly ended: Promise<WorkerEnd>;
  load(options: LoadOptions): Promise<LoadedModel>;
  runBatch(options: RunBatchOptions): Promise<BatchResult>;
  /** Round-trip time in ms; answered between runs, so a long run delays it. Does not end the worker on timeout. */
  ping(timeoutMs?: number): Promise<number>;
  /** SIGKILL: resolves when the process is gone. A load or batch in flight fails with 'worker.preempted'. */
  preempt(): Promise<PreemptResult>;
  /** Stops the worker; a request in flight fails with 'worker.closed'. */
  close(): Promise<void>;
}

export async function startWorker(options: StartWorkerOptions = {}): Promise<WorkerHandle> {
  const memoryLimitBytes = options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
  if (memoryLimitBytes < MIN_MEMORY_LIMIT_BYTES) {
    throw new IdlehiveError(
      'worker.memory_limit_too_low',
      `A job needs a memory limit of at least ${MIN_MEMORY_LIMIT_BYTES / 1024 ** 3} GB; raise the limit in the settings.`,
    );
  }
  const sandbox = options.sandbox ?? (await prepareWorkerSandbox());
  const rings = options.tensorRings !== false && canUseTensorRings(sandbox.plan) ? openTensorRings() : null;
  const command = buildWorkerLaunchCommand({
    plan: sandbox.plan,
    entry: sandbox.entry,
    readPaths: sandbox.readPaths,
    env: sandbox.env,
    memoryLimitBytes,
    heapLimitMb: options.heapLimitMb ?? DEFAULT_HEAP_LIMIT_MB,
    exposeGpu: options.exposeGpu ?? false,
    tensorRings: rings !== null,
  });
  const worker = new SupervisedWorker(
    command,
    {
      memoryLimitBytes: sandbox.plan.memoryLimit.kind === 'none' ? null : memoryLimitBytes,
      isWrappedByBwrap: sandbox.plan.namespace.kind === 'bwrap',
    },
    rings,
  );
  await worker.whenStarted(options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  return worker;
}

interface ActiveRequest {
  requestId: number;
  kind: 'load' | 'run';
  runCount: number;
  outputNames: readonly string[];
  returnOutputs: boolean;
  completedRuns: number;
  /** Results streamed in progress replies so far, in run order. */
  results: RunResult[];
  /** The input ring's position after this request's tensors: free once it is answered. */
  inputRingEnd: number;
  onOutputs: NonNullable<RunBatchOptions['onOutputs']> | null;
  /** The first error the consumer threw; the batch fails with it once it ends. */
  consumerError: IdlehiveError | null;
  /** Deadline for the next sign of life: the reply, or (for batches) a progress report. */
  windowMs: number;
  phase: WorkerPhase;
  limitMs: number;
  startedAt: number;
  resolve(answer: Answer): void;
  reject(error: IdlehiveError): void;
}

/** A request's final reply, with a batch's results (from every progress reply too) in hand. */
interface Answer {
  reply: WorkerReply;
  results: RunResult[];
}

interface PendingPing {
  sentAt: number;
  timer: NodeJS.Timeout;
  resolve(ms: number): void;
  reject(error: IdlehiveError): void;
}

class SupervisedWorker implements WorkerHandle {
  pid = 0;
  startMs = 0;
  info!: ReadyReply;
  readonly launch: WorkerLaunchCommand;
  readonly ended: Promise<WorkerEnd>;

  readonly #child: ChildProcess;
  readonly #context: FailureContext;
  readonly #output = new OutputTail(OUTPUT_TAIL_BYTES);
  readonly #spawnedAt = performance.now();
  #nextRequestId = 1;
  /** Requests sent and not yet answered, in the order the worker handles them; the head is the one running. */
  readonly #inFlight: ActiveRequest[] = [];
  readonly #pings = new Map<number, PendingPing>();
  #deadline: NodeJS.Timeout | null = null;
  #endCause: WorkerEndCause | null = null;
  #isKilling = false;
  #hasEnded = false;
  #resolveEnded!: (end: WorkerEnd) => void;
  readonly #gone: Promise<void>;
  #sandboxInitPid: number | null = null;
  #startup: { resolve(): void; reject(error: IdlehiveError): void } | null = null;
  readonly #rings: AgentTensorRings | null;
  /** The output ring position the worker was last told it may reuse up to. */
  #outputReleased = 0;
  /** Per output name, the memory a batch's consumer sees its outputs in. */
  readonly #consumerMemory = new ReusedBuffers();

  constructor(command: WorkerLaunchCommand, context: FailureContext, rings: AgentTensorRings | null) {
    this.launch = command;
    this.#context = context;
    this.#rings = rings;
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
    this.#gone = this.ended.then(() => undefined);
    const stdio: ('ignore' | 'pipe' | 'ipc' | number)[] = ['ignore', 'pipe', 'pipe', 'ipc'];
    if (command.infoFd !== null) stdio[command.infoFd] = 'pipe';
    if (rings !== null) {
      stdio[4] ??= 'ignore';
      // The worker reads the input ring and writes the output ring; it gets no other way into either file.
      stdio[INPUT_RING_FD] = rings.workerInputFd;
      stdio[OUTPUT_RING_FD] = rings.workerOutputFd;
    }
    try {
      this.#child = spawn(command.command, command.args, {
        stdio,
        env: command.env,
        serialization: 'advanced',
        windowsHide: true,
      });
    } finally {
      // The child holds its own copies now (or never started); the agent keeps only its own ends.
      if (rings !== null) for (const fd of [rings.workerInputFd, rings.workerOutputFd]) fs.closeSync(fd);
    }
    this.#child.stdout?.on('data', (chunk: Buffer) => this.#output.push(chunk));
    this.#child.stderr?.on('data', (chunk: Buffer) => this.#output.push(chunk));
    if (command.infoFd !== null) this.#readSandboxInfo(command.infoFd);
    this.#child.on('message', (message: unknown) => this.#onMessage(message));
    this.#child.once('error', (error: NodeJS.ErrnoException) => {
      // Only a failed spawn has no pid; any other error (a failed send) shows up as an exit.
      if (this.#child.pid === undefined)
        this.#settle(
          { kind: 'spawn_failed', detail: `${command.command}: ${error.code ?? error.message}` },
          null,
          null,
        );
    });
    // 'close' comes after 'exit' once every stdio pipe is closed, that is once every process of the
    // sandbox has exited and its memory is released: the moment "the worker is gone" is true.
    this.#child.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => {
      this.#settle({ kind: 'exited', exitCode, signal, output: this.#output.text() }, exitCode, signal);
    });
    // A warm worker must not keep the agent alive; pending requests hold their own timers.
    this.#child.unref();
    this.#child.channel?.unref();
    for (const stream of [this.#child.stdout, this.#child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
  }

  /** The request the worker is handling now: the deadline and every reply belong to it. */
  get #active(): ActiveRequest | null {
    return this.#inFlight[0] ?? null;
  }

  get isRunning(): boolean {
    return !this.#hasEnded && !this.#isKilling;
  }

  whenStarted(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        void this.#terminate({ kind: 'timeout', phase: 'start', limitMs: timeoutMs });
      }, timeoutMs);
      this.#startup = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#maybeFinishStartup();
    });
  }

  load(options: LoadOptions): Promise<LoadedModel> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
    const started = performance.now();
    return this.#request(
      'load',
      (requestId) => ({
        type: 'load',
        requestId,
        modelBytes: compactTensorArray(options.modelBytes),
        sessionOptions: options.sessionOptions,
        executionProviders: options.executionProviders ?? ['cpu'],
      }),
      {
        runCount: 0,
        outputNames: [],
        returnOutputs: false,
        limitMs: timeoutMs,
        windowMs: timeoutMs + transferMs(options.modelBytes.byteLength),
      },
    ).then(({ reply }) => {
      if (reply.type !== 'loaded') throw new Error(`unexpected ${reply.type} reply`);
      return {
        inputs: reply.inputs,
        outputs: reply.outputs,
        loadMs: reply.loadMs,
        wallMs: performance.now() - started,
      };
    });
  }

  runBatch(options: RunBatchOptions): Promise<BatchResult> {
    const perRunTimeoutMs = options.perRunTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
    const started = performance.now();
    const inputBytes = payloadBytes(options.runs.flatMap((feeds) => Object.values(feeds)));
    const returnOutputs = options.returnOutputs ?? true;
    return this.#request(
      'run',
      (requestId) => ({
        type: 'run',
        requestId,
        runs: this.#wireFeeds(options.runs),
        outputNames: options.outputNames,
        returnOutputs,
      }),
      {
        runCount: options.runs.length,
        outputNames: options.outputNames,
        returnOutputs,
        onOutputs: options.onOutputs,
        limitMs: perRunTimeoutMs,
        // The first run can start only once the batch has arrived.
        windowMs: perRunTimeoutMs + PROGRESS_INTERVAL_MS + transferMs(inputBytes),
      },
    ).then(({ reply, results }) => {
      if (reply.type !== 'ran') throw new Error(`unexpected ${reply.type} reply`);
      return { results, wallMs: performance.now() - started };
    });
  }

  ping(timeoutMs = DEFAULT_PING_TIMEOUT_MS): Promise<number> {
    if (!this.isRunning) return Promise.reject(this.#notRunningError());
    const requestId = this.#nextRequestId++;
    const message = PingRequestSchema.parse({ type: 'ping', requestId });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pings.delete(requestId);
        reject(
          new IdlehiveError(
            'worker.unresponsive',
            `The worker did not answer within ${timeoutMs} ms; it may be in a long run.`,
          ),
        );
      }, timeoutMs);
      this.#pings.set(requestId, { sentAt: performance.now(), timer, resolve, reject });
      this.#send(message);
    });
  }

  async preempt(): Promise<PreemptResult> {
    const started = performance.now();
    await this.#terminate({ kind: 'preempted' });
    return { exitMs: performance.now() - started };
  }

  async close(): Promise<void> {
    await this.#terminate({ kind: 'closed' });
  }

  // ---- requests ----------------------------------------------------------

  #request(
    kind: 'load' | 'run',
    build: (requestId: number) => unknown,
    shape: {
      runCount: number;
      outputNames: readonly string[];
      returnOutputs: boolean;
      limitMs: number;
      windowMs: number;
      onOutputs?: RunBatchOptions['onOutputs'];
    },
  ): Promise<Answer> {
    if (!this.isRunning) return Promise.reject(this.#notRunningError());
    // Batches may queue behind a batch (the worker starts the next while the last results are still on their
    // way); a load waits for an idle worker, since it replaces the session the queued batches would run on.
    const canQueue =
      kind === 'run' &&
      this.#inFlight.length < MAX_REQUESTS_IN_FLIGHT &&
      this.#inFlight.every((request) => request.kind === 'run');
    if (this.#inFlight.length > 0 && !canQueue) {
      return Promise.reject(
        new IdlehiveError(
          'worker.busy',
          'The worker is still handling a request; wait for it to finish before sending another.',
        ),
      );
    }
    const requestId = this.#nextRequestId++;
    // Checked here as well as in the worker: a bad request is our bug and should fail fast, without costing the worker.
    const schema = kind === 'load' ? LoadRequestSchema : RunRequestSchema;
    const checked = schema.safeParse(build(requestId));
    if (!checked.success) {
      return Promise.reject(
        new IdlehiveError(
          'worker.bad_request',
          `The job's request is not valid: ${describeSchemaError(checked.error)}.`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.#inFlight.push({
        requestId,
        kind,
        runCount: shape.runCount,
        outputNames: shape.outputNames,
        returnOutputs: shape.returnOutputs,
        completedRuns: 0,
        results: [],
        inputRingEnd: this.#rings?.input.head ?? 0,
        onOutputs: shape.onOutputs ?? null,
        consumerError: null,
        windowMs: shape.windowMs,
        phase: kind,
        limitMs: shape.limitMs,
        startedAt: performance.now(),
        resolve,
        reject,
      });
      this.#child.ref();
      // A queued batch's window starts once the one ahead of it is answered.
      if (this.#inFlight.length === 1) this.#armDeadline(shape.windowMs);
      this.#send(checked.data);
    });
  }

  #send(message: WorkerRequest): void {
    this.#child.send(message, (error) => {
      // The channel broke under a live worker: nothing more can reach it, so it is stopped.
      if (error) void this.#terminate({ kind: 'channel_failed', detail: error.message });
    });
  }

  #armDeadline(ms: number): void {
    if (this.#deadline !== null) clearTimeout(this.#deadline);
    const active = this.#active;
    if (active === null) return;
    this.#deadline = setTimeout(() => {
      void this.#terminate({ kind: 'timeout', phase: active.phase, limitMs: active.limitMs });
    }, ms + DEADLINE_SLACK_MS);
  }

  /**
   * The runs as sent: each tensor's bytes into the input ring when there is
   * room, inline otherwise. The same array given for several runs (the
   * benchmark repeats one feed) is written once and referred to by each.
   */
  #wireFeeds(runs: Feeds[]): WireFeeds[] {
    const rings = this.#rings;
    if (rings === null) return compactFeeds(runs);
    const written = new Map<TensorPayload['data'], { offset: number; byteLength: number }>();
    return runs.map((feeds) => {
      const wire: WireFeeds = {};
      for (const [name, tensor] of Object.entries(feeds)) {
        let ring = written.get(tensor.data) ?? null;
        if (ring === null) {
          const offset = rings.input.take(tensor.data.byteLength);
          if (offset !== null && writesInto(rings.inputBytes, offset, tensor.data)) {
            ring = { offset, byteLength: tensor.data.byteLength };
            written.set(tensor.data, ring);
          }
        }
        wire[name] = ring === null ? compactTensor(tensor) : { dtype: tensor.dtype, dims: [...tensor.dims], ring };
      }
      return wire;
    });
  }

  /**
   * The results with every output's bytes in hand, read out of the output ring
   * where they are there; then the worker may reuse the ring up to ringEnd.
   * With a consumer (onOutputs) each run's outputs go to it instead, read into
   * memory reused from run to run, and the results keep only the times.
   * null when a reference cannot be read (the worker was ended for it).
   */
  #resolveResults(active: ActiveRequest, results: WireRunResult[], ringEnd: number): RunResult[] | null {
    const rings = this.#rings;
    const resolved: RunResult[] = [];
    try {
      for (const result of results) {
        const outputs: Record<string, TensorPayload> = {};
        for (const [name, tensor] of Object.entries(result.outputs)) {
          if (!isTensorRef(tensor)) outputs[name] = tensor;
          else if (rings === null) throw new RangeError('a reference into a ring this worker was not given');
          else {
            // Without a consumer: one read each into memory of its own, since the caller keeps the results.
            // (Reading a message's outputs into one large buffer cost three times as much here: fresh pages.)
            const into = active.onOutputs === null ? undefined : this.#consumerMemory.for(name, tensor.ring.byteLength);
            outputs[name] = {
              dtype: tensor.dtype,
              dims: tensor.dims,
              data: rings.outputBytes.readTensor(tensor, into),
            } as TensorPayload;
          }
        }
        if (active.onOutputs === null) {
          resolved.push({ outputs, runMs: result.runMs });
          continue;
        }
        if (active.consumerError === null) {
          try {
            active.onOutputs(active.results.length + resolved.length, outputs);
          } catch (error) {
            active.consumerError =
              error instanceof IdlehiveError
                ? error
                : new IdlehiveError('worker.consumer_failed', `Taking a run's outputs failed: ${String(error)}`);
          }
        }
        resolved.push({ outputs: {}, runMs: result.runMs });
      }
    } catch (error) {
      void this.#terminate({
        kind: 'protocol_violation',
        detail: `an output in the ring could not be read: ${error instanceof Error ? error.message : String(error)}`,
      });
      return null;
    }
    if (rings !== null && ringEnd > this.#outputReleased) {
      this.#outputReleased = ringEnd;
      this.#send({ type: 'release', upTo: ringEnd });
    }
    return resolved;
  }

  #finishActive(): ActiveRequest | null {
    const active = this.#inFlight.shift() ?? null;
    // The worker has read every input of an answered request.
    if (active !== null) this.#rings?.input.release(active.inputRingEnd);
    if (this.#deadline !== null) clearTimeout(this.#deadline);
    this.#deadline = null;
    const next = this.#active;
    if (next !== null && !this.#hasEnded) {
      // The worker started it as soon as the previous batch's last run ended, so this window is, if anything, long.
      next.startedAt = performance.now();
      this.#armDeadline(next.windowMs);
    } else if (!this.#hasEnded) {
      this.#child.unref();
    }
    return active;
  }

  // ---- replies -----------------------------------------------------------

  #onMessage(raw: unknown): void {
    const parsed = WorkerReplySchema.safeParse(raw);
    if (!parsed.success) {
      void this.#terminate({ kind: 'protocol_violation', detail: describeSchemaError(parsed.error) });
      return;
    }
    const reply = parsed.data;
    if (reply.type === 'ready') {
      if (this.startMs !== 0) {
        void this.#terminate({ kind: 'protocol_violation', detail: 'a second ready message' });
        return;
      }
      this.info = reply;
      this.startMs = performance.now() - this.#spawnedAt;
      this.#maybeFinishStartup();
      return;
    }
    if (reply.type === 'pong') {
      const ping = this.#pings.get(reply.requestId);
      if (ping !== undefined) {
        clearTimeout(ping.timer);
        this.#pings.delete(reply.requestId);
        ping.resolve(performance.now() - ping.sentAt);
      } else if (reply.requestId >= this.#nextRequestId) {
        void this.#terminate({ kind: 'protocol_violation', detail: 'a reply to a ping never sent' });
      }
      // Otherwise a late answer to a ping that already timed out.
      return;
    }
    const active = this.#active;
    if (active === null || (reply.requestId !== null && reply.requestId !== active.requestId)) {
      void this.#terminate({ kind: 'protocol_violation', detail: `a ${reply.type} reply to no request in flight` });
      return;
    }
    switch (reply.type) {
      case 'progress':
        this.#onProgress(active, reply.completedRuns, reply.results, reply.ringEnd);
        return;
      case 'loaded':
        if (active.kind !== 'load') break;
        // As for runs: the worker's own measurement decides when the agent was too busy to notice the deadline.
        if (reply.loadMs > active.limitMs + DEADLINE_SLACK_MS) {
          void this.#terminate({ kind: 'timeout', phase: 'load', limitMs: active.limitMs });
          return;
        }
        this.#finishActive()?.resolve({ reply, results: [] });
        return;
      case 'ran': {
        if (active.kind !== 'run') break;
        if (!this.#acceptResults(active, reply.results, reply.ringEnd)) return;
        if (active.results.length !== active.runCount) {
          void this.#terminate({
            kind: 'protocol_violation',
            detail: `${active.results.length} results for ${active.runCount} runs`,
          });
          return;
        }
        if (active.consumerError !== null) {
          this.#finishActive()?.reject(active.consumerError);
          return;
        }
        this.#finishActive()?.resolve({ reply, results: active.results });
        return;
      }
      case 'error':
        this.#onErrorReply(reply);
        return;
    }
    void this.#terminate({ kind: 'protocol_violation', detail: `a ${reply.type} reply to a ${active.kind} request` });
  }

  #onProgress(active: ActiveRequest, completedRuns: number, results: WireRunResult[], ringEnd: number): void {
    if (
      active.kind !== 'run' ||
      completedRuns > active.runCount ||
      completedRuns !== active.results.length + results.length
    ) {
      void this.#terminate({
        kind: 'protocol_violation',
        detail: `progress ${completedRuns} of ${active.runCount} runs with ${active.results.length} + ${results.length} results`,
      });
      return;
    }
    if (!this.#acceptResults(active, results, ringEnd)) return;
    active.completedRuns = completedRuns;
    // Between progress reports at most one run starts and finishes (plus the reporting interval); after
    // the last run, the same window covers the transfer of the results.
    this.#armDeadline(active.limitMs + PROGRESS_INTERVAL_MS);
  }

  /**
   * Checks streamed results, then keeps them (or hands their outputs to the
   * batch's consumer); false when the worker was ended for them.
   */
  #acceptResults(active: ActiveRequest, results: WireRunResult[], ringEnd: number): boolean {
    const problem = checkResults(results, active.returnOutputs ? active.outputNames : [], {
      received: active.results.length,
      runCount: active.runCount,
    });
    if (problem !== null) {
      void this.#terminate({ kind: 'protocol_violation', detail: problem });
      return false;
    }
    // The timer is the guard while a run is in flight, but a busy or starved agent can read a reply before
    // its timer fires; the worker's own measurement of each run then decides, so the limit holds either way.
    if (results.some((result) => result.runMs > active.limitMs + DEADLINE_SLACK_MS)) {
      void this.#terminate({ kind: 'timeout', phase: 'run', limitMs: active.limitMs });
      return false;
    }
    const resolved = this.#resolveResults(active, results, ringEnd);
    if (resolved === null) return false;
    for (const result of resolved) active.results.push(result);
    return true;
  }

  #onErrorReply(reply: ErrorReply): void {
    if (reply.code === 'out_of_memory') {
      // The memory limit refused an allocation; the worker's state is no longer trustworthy.
      void this.#terminate({ kind: 'allocation_refused', detail: reply.message });
      return;
    }
    const active = this.#finishActive();
    if (active === null) return;
    const detail = reply.message.length > 500 ? `${reply.message.slice(0, 500)}…` : reply.message;
    const errors: Record<Exclude<ErrorReply['code'], 'out_of_memory'>, IdlehiveError> = {
      load_failed: new IdlehiveError('worker.load_failed', `The job's model could not be loaded: ${detail}`),
      run_failed: new IdlehiveError('worker.run_failed', `The job's model failed while running: ${detail}`),
      not_loaded: new IdlehiveError('worker.not_loaded', 'The job has no model loaded; load one before running it.'),
      busy: new IdlehiveError('worker.busy', 'The worker is still handling a request; wait for it to finish.'),
      bad_request: new IdlehiveError('worker.bad_request', `The worker rejected the request: ${detail}`),
    };
    active.reject(errors[reply.code]);
  }

  // ---- lifecycle ---------------------------------------------------------

  #readSandboxInfo(fd: number): void {
    let text = '';
    const stream = this.#child.stdio[fd] as NodeJS.ReadableStream & { unref?: () => void };
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      this.#sandboxInitPid ??= parseBwrapInfo(text);
      this.#maybeFinishStartup();
    });
    stream.unref?.();
  }

  #maybeFinishStartup(): void {
    if (this.#startup === null || this.startMs === 0) return;
    if (this.launch.infoFd !== null) {
      if (this.#sandboxInitPid === null) return;
      this.pid = findSandboxedChildPid(this.#sandboxInitPid) ?? this.#sandboxInitPid;
    } else {
      this.pid = this.#child.pid ?? 0;
    }
    const startup = this.#startup;
    this.#startup = null;
    startup.resolve();
  }

  #terminate(cause: WorkerEndCause): Promise<void> {
    this.#endCause ??= cause;
    if (!this.#isKilling && !this.#hasEnded) {
      this.#isKilling = true;
      if (this.#deadline !== null) clearTimeout(this.#deadline);
      // Whoever awaits the end must see it: keep the loop alive until the process and its pipes are gone.
      this.#child.ref();
      for (const stream of [this.#child.stdout, this.#child.stderr]) (stream as { ref?: () => void } | null)?.ref?.();
      // The worker itself first: under bubblewrap, killing only bwrap would reach it through two parent-death signals.
      if (this.pid !== 0 && this.pid !== this.#child.pid) {
        try {
          process.kill(this.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      this.#child.kill('SIGKILL');
    }
    return this.#gone;
  }

  #settle(observed: WorkerEndCause, exitCode: number | null, signal: NodeJS.Signals | null): void {
    if (this.#hasEnded) return;
    this.#hasEnded = true;
    if (this.#deadline !== null) clearTimeout(this.#deadline);
    // The rings' memory goes with the last descriptor and mapping: unmapped soon, not when a collection gets to
    // it, yet after whoever waits for the end has heard of it (freeing 64 MiB of pages took about 10 ms here,
    // which a preemption must not wait for).
    const rings = this.#rings;
    if (rings !== null) {
      setImmediate(() => {
        rings.inputBytes.close();
        rings.outputBytes.close();
        for (const fd of [rings.inputFd, rings.outputFd]) fs.closeSync(fd);
      });
    }
    const cause = this.#endCause ?? observed;
    const error = workerEndError(cause, this.#context);
    const requestError =
      error ?? new IdlehiveError('worker.closed', 'The worker was closed before the request finished.');
    for (const request of this.#inFlight.splice(0)) request.reject(requestError);
    for (const ping of this.#pings.values()) {
      clearTimeout(ping.timer);
      ping.reject(requestError);
    }
    this.#pings.clear();
    if (this.#startup !== null) {
      this.#startup.reject(startupError(cause, error, this.#output.lastLine()));
      this.#startup = null;
    }
    this.#resolveEnded({ cause, error, exitCode, signal, output: this.#output.text() });
  }

  #notRunningError(): IdlehiveError {
    const end = this.#endCause === null ? null : workerEndError(this.#endCause, this.#context);
    return end ?? new IdlehiveError('worker.closed', 'The worker has stopped; start a new one.');
  }
}

function startupError(cause: WorkerEndCause, error: IdlehiveError | null, lastLine: string): IdlehiveError {
  if (cause.kind === 'exited') {
    const how = cause.signal !== null ? `signal ${cause.signal}` : `exit code ${cause.exitCode}`;
    const said = lastLine ? `: ${lastLine.slice(0, 300)}` : '';
    return new IdlehiveError('worker.start_failed', `The sandboxed worker stopped while starting (${how})${said}.`, {
      cause: cause.output,
    });
  }
  return error ?? new IdlehiveError('worker.closed', 'The worker was closed while it was starting.');
}

function checkResults(
  results: readonly { outputs: Record<string, unknown> }[],
  outputNames: readonly string[],
  batch: { received: number; runCount: number },
): string | null {
  if (batch.received + results.length > batch.runCount) {
    return `${batch.received + results.length} results for ${batch.runCount} runs`;
  }
  for (const result of results) {
    const names = Object.keys(result.outputs);
    if (names.length !== outputNames.length || !outputNames.every((name) => name in result.outputs)) {
      return `outputs ${names.join(', ')} instead of ${outputNames.join(', ')}`;
    }
  }
  return null;
}

function transferMs(bytes: number): number {
  return Math.ceil(bytes / TRANSFER_BYTES_PER_MS);
}

/**
 * Whether the bytes went into the ring. A memory file system that is full
 * refuses the write (ENOSPC): that tensor then goes inline, and the space it
 * took is freed with its batch like any other.
 */
function writesInto(ring: RingBytes, offset: number, data: TensorPayload['data']): boolean {
  try {
    ring.write(offset, data);
    return true;
  } catch {
    return false;
  }
}

/** The agent's ends of a worker's two tensor rings, and the worker's, which it passes at spawn and then closes. */
interface AgentTensorRings {
  /** The agent writes the input ring... */
  inputFd: number;
  inputBytes: RingBytes;
  input: RingSpace;
  /** ...and reads the output ring. */
  outputFd: number;
  outputBytes: RingBytes;
  workerInputFd: number;
  workerOutputFd: number;
}

function openTensorRings(): AgentTensorRings | null {
  const input = openTensorRingFile();
  if (input === null) return null;
  const output = openTensorRingFile();
  if (output === null) {
    fs.closeSync(input.readWrite);
    fs.closeSync(input.readOnly);
    return null;
  }
  return {
    inputFd: input.readWrite,
    // The agent maps a ring only when it is sealed: the worker could otherwise shrink the file under the mapping,
    // and the agent's next access would kill it (SIGBUS). Its descriptor can refuse, but never crash.
    inputBytes: ringBytes(input.readWrite, { map: input.isSealed, writable: true }),
    input: new RingSpace(),
    outputFd: output.readOnly,
    outputBytes: ringBytes(output.readOnly, { map: output.isSealed, writable: false }),
    workerInputFd: input.readOnly,
    workerOutputFd: output.readWrite,
  };
}
