/**
 * The exact command that starts a worker: the isolation plan's wrappers, each
 * of which execs the next (prlimit -> unshare -> setpriv -> node, so the pid the
 * supervisor holds is the worker's own), or bubblewrap, which forks and reports
 * the sandboxed pid on an info fd. A pure function, so tests can check every
 * flag and start a probe script with exactly the worker's confinement.
 */
import { TENSOR_RING_BYTES } from '../worker/tensor-ring.ts';
import { INPUT_RING_FD, OUTPUT_RING_FD, TENSOR_RINGS_FLAG } from '../worker/worker-tensor-transport.ts';
import { bwrapArguments } from './bwrap-arguments.ts';
import type { IsolationPlan } from './isolation-plan.ts';

/**
 * stdin unused, stdout and stderr kept for crash reports, fd 3 the IPC channel, fd 4 bubblewrap's info,
 * fds 5 and 6 the tensor rings (INPUT_RING_FD, OUTPUT_RING_FD).
 */
export const WORKER_IPC_FD = 3;
export const BWRAP_INFO_FD = 4;
export { INPUT_RING_FD, OUTPUT_RING_FD };

export interface WorkerLaunchInput {
  plan: IsolationPlan;
  /** The script Node runs: worker-main in production, a probe script in the sandbox tests. */
  entry: string;
  /** --allow-fs-read paths; the entry must be inside one of them. */
  readPaths: readonly string[];
  env: Readonly<Record<string, string>>;
  /** RLIMIT_DATA: private writable memory, which is where onnxruntime's tensors live. */
  memoryLimitBytes: number;
  /** V8's old-space limit: the worker's own JavaScript objects; tensors live outside it. */
  heapLimitMb: number;
  /** Bind the GPU device nodes into the bubblewrap view (GPU execution providers only). */
  exposeGpu: boolean;
  /**
   * The supervisor passes the tensor rings on fds 5 and 6. Only with an rlimit
   * method: RLIMIT_FSIZE then bounds the one file the worker can write.
   */
  tensorRings: boolean;
}

export interface WorkerLaunchCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Set when bubblewrap wraps the worker: read the sandboxed pid from this fd. */
  infoFd: number | null;
  /** True when the worker runs in its own PID namespace (its process.pid is not the host's). */
  hasPidNamespace: boolean;
}

/** Node's own flags for the worker: the permission model with nothing allowed but reads of readPaths and the addon. */
export function workerNodeArguments(
  input: Pick<WorkerLaunchInput, 'entry' | 'readPaths' | 'heapLimitMb'> & { tensorRings?: boolean },
): string[] {
  return [
    '--permission',
    // onnxruntime-node is a native addon; its native code is outside the permission model (bubblewrap confines it).
    '--allow-addons',
    ...input.readPaths.map((readPath) => `--allow-fs-read=${readPath}`),
    `--max-old-space-size=${input.heapLimitMb}`,
    // The worker runs only our own code; eval and new Function have no use there.
    '--disallow-code-generation-from-strings',
    // Node warns that --allow-addons weakens the permission model on every start; the isolation report says so once.
    '--disable-warning=SecurityWarning',
    // Only worker-main calls gc(): once a model is loaded, so that what the load left is freed before a preemption
    // would have to free it (worker-main.ts, releaseLoadLeftovers). Buffers are then freed within the collection,
    // not later on a helper thread, so that malloc_trim right after it finds their memory free.
    '--expose-gc',
    '--no-concurrent-array-buffer-sweeping',
    input.entry,
    ...(input.tensorRings === true ? [TENSOR_RINGS_FLAG] : []),
  ];
}

/** Whether a plan can bound what the worker writes into the output ring (RLIMIT_FSIZE needs an rlimit method). */
export function canUseTensorRings(plan: IsolationPlan): boolean {
  return plan.platform === 'linux' && plan.memoryLimit.kind !== 'none';
}

export function buildWorkerLaunchCommand(input: WorkerLaunchInput): WorkerLaunchCommand {
  const { plan } = input;
  if (input.tensorRings && !canUseTensorRings(plan)) {
    throw new Error('tensor rings need an rlimit method to bound the output ring');
  }
  const node = [plan.nodePath, ...workerNodeArguments(input)];
  let argv: string[];
  let infoFd: number | null = null;
  let hasPidNamespace = false;

  switch (plan.namespace.kind) {
    case 'bwrap':
      // bwrap sets no_new_privs, drops capabilities and dies with the agent by itself.
      infoFd = BWRAP_INFO_FD;
      hasPidNamespace = true;
      argv = [
        plan.namespace.tool,
        ...bwrapArguments({
          nodePath: plan.nodePath,
          readPaths: input.readPaths,
          systemMounts: plan.namespace.systemMounts,
          gpuMounts: input.exposeGpu ? plan.namespace.gpuMounts : [],
          infoFd,
        }),
        '--',
        ...node,
      ];
      break;
    case 'unshare':
      argv = [
        plan.namespace.tool,
        '--user',
        plan.namespace.userMapping,
        '--net',
        '--ipc',
        '--uts',
        '--',
        ...privilegeDropPrefix(plan),
        ...node,
      ];
      break;
    case 'none':
      argv = [...privilegeDropPrefix(plan), ...node];
      break;
  }

  switch (plan.memoryLimit.kind) {
    case 'prlimit':
      argv = [
        plan.memoryLimit.tool,
        `--data=${input.memoryLimitBytes}`,
        // The output ring is the only file the worker can write; it may not grow past the ring.
        ...(input.tensorRings ? [`--fsize=${TENSOR_RING_BYTES}`] : []),
        '--',
        ...argv,
      ];
      break;
    case 'ulimit':
      argv = [
        plan.memoryLimit.shell,
        '-c',
        // -f counts 512-byte blocks in POSIX shells (1 KiB in bash outside POSIX mode: still bounded).
        input.tensorRings
          ? 'ulimit -d "$1" && ulimit -f "$2" && shift 2 && exec "$@"'
          : 'ulimit -d "$1" && shift && exec "$@"',
        'idlehive-worker',
        String(Math.floor(input.memoryLimitBytes / 1024)),
        ...(input.tensorRings ? [String(TENSOR_RING_BYTES / 512)] : []),
        ...argv,
      ];
      break;
    case 'none':
      break;
  }

  const [command, ...args] = argv;
  if (command === undefined) throw new Error('empty worker command');
  return { command, args, env: { ...input.env }, infoFd, hasPidNamespace };
}

function privilegeDropPrefix(plan: IsolationPlan): string[] {
  if (plan.privilegeDrop.kind === 'none') return [];
  return [
    plan.privilegeDrop.tool,
    '--no-new-privs',
    // The worker dies with the agent even mid-run, when it cannot notice the IPC channel closing.
    '--pdeathsig',
    'KILL',
    '--bounding-set',
    '-all',
    '--inh-caps',
    '-all',
    '--',
  ];
}
