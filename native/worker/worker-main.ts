/**
 * The sandboxed worker process. The supervisor starts it as its own OS process
 * with Node's permission model (no file writes, no child processes, no worker
 * threads, reads limited to this folder and the packages it imports), an
 * explicit minimal environment and OS limits where the platform has them. Its
 * only inputs are the IPC channel and, where the supervisor passes them, the
 * tensor rings' inherited descriptors; it never opens a file or a socket itself.
 *
 * It imports nothing outside native/worker/ except zod and onnxruntime-node,
 * because those are all the sandbox lets it read.
 */
import ort from 'onnxruntime-node';
import { loadSharedMemory } from './shared-memory.ts';
import {
  describeSchemaError,
  type LoadRequest,
  MAX_REQUESTS_IN_FLIGHT,
  type RunRequest,
  requestIdOf,
  WORKER_PROTOCOL_VERSION,
  type WorkerReply,
  WorkerRequestSchema,
} from './worker-protocol.ts';
import { createSessionHost, errorReply, type OnnxRuntimeModule, WorkerRequestError } from './worker-session.ts';
import { inlineTensorTransport, ringTensorTransport, TENSOR_RINGS_FLAG } from './worker-tensor-transport.ts';

const send = process.send?.bind(process);
if (send === undefined) {
  process.stderr.write('worker-main must be started by the worker supervisor with an IPC channel\n');
  process.exit(64);
}

function reply(message: WorkerReply): void {
  send?.(message, undefined, undefined, (error) => {
    // The channel is gone: the supervisor died or closed it, and nobody is left to work for.
    if (error) process.exit(0);
  });
}

// Without its supervisor the worker has no purpose, and must not keep a core busy.
process.on('disconnect', () => process.exit(0));

const transport = process.argv.includes(TENSOR_RINGS_FLAG) ? ringTensorTransport() : inlineTensorTransport;
const host = createSessionHost(ort as unknown as OnnxRuntimeModule, transport);
// Loads and batches run one at a time, in the order they came; pings are answered between runs.
const queue: (LoadRequest | RunRequest)[] = [];
let isWorking = false;

async function work(request: LoadRequest | RunRequest): Promise<WorkerReply> {
  if (request.type === 'load') return host.load(request);
  return host.runBatch(request, (completedRuns, results, ringEnd) =>
    reply({ type: 'progress', requestId: request.requestId, completedRuns, results, ringEnd }),
  );
}

async function workThroughQueue(): Promise<void> {
  if (isWorking) return;
  isWorking = true;
  for (let request = queue.shift(); request !== undefined; request = queue.shift()) {
    try {
      reply(await work(request));
    } catch (error) {
      reply(errorReply(request.requestId, error));
    }
    // In the next turn of the event loop, when nothing refers to the request any more.
    if (request.type === 'load') setImmediate(releaseLoadLeftovers);
  }
  isWorking = false;
}

/** --expose-gc (worker-launch-command.ts) gives the worker gc(); nothing but this calls it. */
const collectGarbage = (globalThis as { gc?: () => void }).gc;

/**
 * A load leaves the model's IPC message (its bytes and the chunks it was read
 * in) to the collector, and onnxruntime frees its parse of the model once the
 * session is built, which glibc keeps mapped: about 20 MiB for an 8 MiB model.
 * The kernel frees every page still mapped when a preemption kills the worker
 * before the worker is gone, so they are handed back now: collected, then
 * malloc's free pages returned (ARCHITECTURE.md, Compute, *A smaller worker to kill*).
 */
function releaseLoadLeftovers(): void {
  collectGarbage?.();
  loadSharedMemory().addon?.releaseFreeHeap();
}

process.on('message', (raw: unknown) => {
  const parsed = WorkerRequestSchema.safeParse(raw);
  if (!parsed.success) {
    reply({
      type: 'error',
      requestId: requestIdOf(raw),
      code: 'bad_request',
      message: describeSchemaError(parsed.error),
    });
    return;
  }
  const request = parsed.data;
  if (request.type === 'ping') {
    reply({ type: 'pong', requestId: request.requestId });
    return;
  }
  if (request.type === 'release') {
    if (!transport.release(request.upTo)) {
      reply({
        type: 'error',
        requestId: null,
        code: 'bad_request',
        message: `release: ${request.upTo} is not a position the output ring has reached`,
      });
    }
    return;
  }
  // The supervisor keeps to the same bound; a load never waits behind anything.
  const pending = queue.length + (isWorking ? 1 : 0);
  if (pending >= MAX_REQUESTS_IN_FLIGHT || (request.type === 'load' && pending > 0)) {
    reply(errorReply(request.requestId, new WorkerRequestError('busy', 'the worker is still handling a request')));
    return;
  }
  queue.push(request);
  void workThroughQueue();
});

reply({
  type: 'ready',
  protocolVersion: WORKER_PROTOCOL_VERSION,
  pid: process.pid,
  nodeVersion: process.version,
  onnxruntimeVersion: ort.env.versions.common ?? 'unknown',
  supportedBackends: ort.listSupportedBackends().map(({ name, bundled }) => ({ name, bundled })),
  startupMs: performance.now(),
});
