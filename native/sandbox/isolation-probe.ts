/**
 * Finds out, by trying, which OS isolation works on this machine: a memory
 * rlimit (prlimit, or the shell's ulimit), a privilege drop (setpriv), and a
 * network namespace (bubblewrap, else unshare). Each probe runs the real tool
 * with a time limit and checks its effect (the limit is set, the sandbox sees
 * no network interface), so the report never claims what does not hold.
 * Distributions that forbid unprivileged user namespaces fail the namespace
 * probes; the worker then runs without them and the report says why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeToolFailure, runTool, type ToolResult } from '../devices/run-tool.ts';
import { bwrapArguments } from './bwrap-arguments.ts';
import {
  type BwrapMount,
  type IsolationPlan,
  type MemoryLimitMethod,
  type NamespaceMethod,
  type PrivilegeDropMethod,
  permissionModelOnlyPlan,
} from './isolation-plan.ts';
import { workerEnvironment } from './worker-environment.ts';

export type IsolationTool = 'prlimit' | 'setpriv' | 'unshare' | 'bwrap' | 'sh';

export interface IsolationProbeInput {
  nodePath: string;
  readPaths: readonly string[];
  platform?: NodeJS.Platform;
  /** Tool paths; null means "not installed". Found in the usual system folders when left out. */
  tools?: Partial<Record<IsolationTool, string | null>>;
  /** Reads a /proc/sys file (for why namespaces fail); injectable for tests. */
  readSysctl?: (file: string) => string | null;
  timeoutMs?: number;
}

const DEFAULT_PROBE_TIMEOUT_MS = 5000;
/** Large enough not to disturb the probe itself; the probe only checks the limit is set. */
const PROBE_MEMORY_LIMIT_BYTES = 8 * 1024 ** 3;
const SYSTEM_DIRECTORIES = ['/usr', '/lib', '/lib64', '/lib32', '/libx32', '/bin', '/sbin'];
const OPTIONAL_SYSTEM_FILES = ['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/nix/store'];
/** Prints the sandbox's network interfaces; a fresh network namespace has none with an address but its own loopback. */
const LIST_INTERFACES = "process.stdout.write(JSON.stringify(Object.keys(require('node:os').networkInterfaces())))";

export async function probeIsolation(input: IsolationProbeInput): Promise<IsolationPlan> {
  const platform = input.platform ?? process.platform;
  const nodePath = realPath(input.nodePath);
  if (platform !== 'linux') {
    return permissionModelOnlyPlan(
      nodePath,
      platform,
      `the OS limits Idlehive uses are Linux tools, and this is ${platformName(platform)}`,
    );
  }
  const tool = (name: IsolationTool): string | null =>
    input.tools && name in input.tools ? (input.tools[name] ?? null) : findSystemTool(name);
  const timeoutMs = input.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const readSysctl = input.readSysctl ?? readProcFile;
  const shell = tool('sh');

  const [memoryLimit, privilegeDrop, namespace] = await Promise.all([
    probeMemoryLimit(tool('prlimit'), shell, timeoutMs),
    probePrivilegeDrop(tool('setpriv'), shell, timeoutMs),
    probeNamespaces({
      bwrap: tool('bwrap'),
      unshare: tool('unshare'),
      nodePath,
      readPaths: input.readPaths,
      timeoutMs,
      readSysctl,
    }),
  ]);
  return { platform, nodePath, memoryLimit, privilegeDrop, namespace };
}

async function probeMemoryLimit(
  prlimit: string | null,
  shell: string | null,
  timeoutMs: number,
): Promise<MemoryLimitMethod> {
  if (shell === null) return { kind: 'none', reason: 'no shell was found to check the limit with' };
  const expected = String(PROBE_MEMORY_LIMIT_BYTES / 1024);
  const reasons: string[] = [];
  if (prlimit !== null) {
    const result = await runTool(prlimit, [`--data=${PROBE_MEMORY_LIMIT_BYTES}`, '--', shell, '-c', 'ulimit -d'], {
      timeoutMs,
    });
    if (result.outcome === 'ok' && result.stdout.trim() === expected) return { kind: 'prlimit', tool: prlimit };
    reasons.push(result.outcome === 'ok' ? 'prlimit did not set the limit' : describeToolFailure('prlimit', result));
  } else {
    reasons.push('prlimit is not installed');
  }
  const result = await runTool(shell, ['-c', `ulimit -d ${expected} && ulimit -d`], { timeoutMs });
  if (result.outcome === 'ok' && result.stdout.trim() === expected) return { kind: 'ulimit', shell };
  reasons.push(result.outcome === 'ok' ? 'the shell did not set the limit' : describeToolFailure('ulimit', result));
  return { kind: 'none', reason: reasons.join('; ') };
}

async function probePrivilegeDrop(
  setpriv: string | null,
  shell: string | null,
  timeoutMs: number,
): Promise<PrivilegeDropMethod> {
  if (setpriv === null) return { kind: 'none', reason: 'setpriv is not installed' };
  if (shell === null) return { kind: 'none', reason: 'no shell was found to check setpriv with' };
  const script =
    'while read -r key value; do [ "$key" = "NoNewPrivs:" ] && echo "$value"; done < /proc/self/status; exit 0';
  const result = await runTool(
    setpriv,
    [
      '--no-new-privs',
      '--pdeathsig',
      'KILL',
      '--bounding-set',
      '-all',
      '--inh-caps',
      '-all',
      '--',
      shell,
      '-c',
      script,
    ],
    { timeoutMs },
  );
  if (result.outcome === 'ok' && result.stdout.trim() === '1') return { kind: 'setpriv', tool: setpriv };
  return {
    kind: 'none',
    reason: result.outcome === 'ok' ? 'setpriv did not set no_new_privs' : describeToolFailure('setpriv', result),
  };
}

interface NamespaceProbeInput {
  bwrap: string | null;
  unshare: string | null;
  nodePath: string;
  readPaths: readonly string[];
  timeoutMs: number;
  readSysctl: (file: string) => string | null;
}

async function probeNamespaces(input: NamespaceProbeInput): Promise<NamespaceMethod> {
  const env = workerEnvironment('linux');
  let bwrapReason = 'bubblewrap is not installed';
  if (input.bwrap !== null) {
    const systemMounts = systemMountsOf();
    const gpuMounts = gpuMountsOf();
    const args = bwrapArguments({
      nodePath: input.nodePath,
      readPaths: input.readPaths,
      systemMounts,
      gpuMounts: [],
      infoFd: null,
    });
    const result = await runTool(input.bwrap, [...args, '--', input.nodePath, '-e', LIST_INTERFACES], {
      timeoutMs: input.timeoutMs,
      env,
    });
    const verdict = namespaceVerdict('bubblewrap', result, input.readSysctl);
    if (verdict === null) return { kind: 'bwrap', tool: input.bwrap, systemMounts, gpuMounts };
    bwrapReason = verdict;
  }
  if (input.unshare === null) return { kind: 'none', reason: bwrapReason };
  let unshareReason = '';
  for (const userMapping of ['--map-current-user', '--map-root-user'] as const) {
    const result = await runTool(
      input.unshare,
      ['--user', userMapping, '--net', '--ipc', '--uts', '--', input.nodePath, '-e', LIST_INTERFACES],
      { timeoutMs: input.timeoutMs, env },
    );
    const verdict = namespaceVerdict('unshare', result, input.readSysctl);
    if (verdict === null) return { kind: 'unshare', tool: input.unshare, userMapping };
    unshareReason = verdict;
    // Older util-linux lacks --map-current-user and says so; any other failure will not change with the mapping.
    if (!(result.outcome === 'failed' && /unrecognized option|invalid option/i.test(result.stderr))) break;
  }
  // When bubblewrap is installed its reason is the one that matters; otherwise unshare's.
  return { kind: 'none', reason: input.bwrap !== null ? bwrapReason : unshareReason };
}

/** null when the sandbox worked and saw no network interface; otherwise why not, in words for the UI. */
export function namespaceVerdict(
  tool: string,
  result: ToolResult,
  readSysctl: (file: string) => string | null,
): string | null {
  if (result.outcome === 'ok') {
    const interfaces = result.stdout.trim();
    // bubblewrap brings up a loopback of the sandbox's own; only an interface besides it reaches a network.
    return onlyLoopback(interfaces)
      ? null
      : `${tool} started, but the sandbox could still see network interfaces ${interfaces}`;
  }
  if (result.outcome === 'missing') return `${tool === 'bubblewrap' ? 'bubblewrap' : tool} is not installed`;
  if (result.outcome === 'timeout') return describeToolFailure(tool, result);
  return (
    userNamespaceReason(readSysctl) ??
    describeNamespaceFailure(tool, result.stderr) ??
    describeToolFailure(tool, result)
  );
}

function onlyLoopback(json: string): boolean {
  try {
    const names: unknown = JSON.parse(json);
    return Array.isArray(names) && names.every((name) => name === 'lo');
  } catch {
    return false;
  }
}

/** The kernel or security-module setting that forbids unprivileged user namespaces, if one does. */
export function userNamespaceReason(readSysctl: (file: string) => string | null): string | null {
  if (readSysctl('/proc/sys/kernel/unprivileged_userns_clone')?.trim() === '0') {
    return 'unprivileged user namespaces are disabled';
  }
  if (readSysctl('/proc/sys/user/max_user_namespaces')?.trim() === '0')
    return 'unprivileged user namespaces are disabled';
  if (readSysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns')?.trim() === '1') {
    return 'AppArmor restricts unprivileged user namespaces';
  }
  return null;
}

function describeNamespaceFailure(tool: string, stderr: string): string | null {
  // bwrap: "No permissions to creating new namespace", "setting up uid map: Permission denied",
  // "loopback: Failed RTM_NEWADDR" (AppArmor); unshare: "unshare failed: Operation not permitted".
  if (/user namespace|new namespace|uid map|RTM_NEWADDR|unshare failed/i.test(stderr)) {
    return 'unprivileged user namespaces are disabled';
  }
  const firstLine = stderr.trim().split('\n')[0];
  return firstLine ? `${tool} failed: ${firstLine}` : null;
}

/** The system library folders as they are on this machine: merged-/usr symlinks stay symlinks. */
export function systemMountsOf(root = '/'): BwrapMount[] {
  const mounts: BwrapMount[] = [];
  for (const directory of SYSTEM_DIRECTORIES) {
    const hostPath = path.join(root, directory);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(hostPath);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) mounts.push({ kind: 'symlink', source: fs.readlinkSync(hostPath), target: directory });
    else if (stat.isDirectory()) mounts.push({ kind: 'ro-bind', source: hostPath, target: directory });
  }
  for (const file of OPTIONAL_SYSTEM_FILES)
    mounts.push({ kind: 'ro-bind-try', source: path.join(root, file), target: file });
  return mounts;
}

/** Device nodes and driver files a GPU execution provider needs (Vulkan/WebGPU through DRM, CUDA through /dev/nvidia*). */
function gpuMountsOf(): BwrapMount[] {
  const devices = ['/dev/dri', '/dev/nvidiactl', '/dev/nvidia-uvm', '/dev/nvidia-uvm-tools', '/dev/nvidia-modeset'];
  try {
    for (const name of fs.readdirSync('/dev')) if (/^nvidia\d+$/.test(name)) devices.push(`/dev/${name}`);
  } catch {
    // No /dev listing: only the fixed names are tried.
  }
  return [
    ...devices.map((device): BwrapMount => ({ kind: 'dev-bind-try', source: device, target: device })),
    { kind: 'ro-bind-try', source: '/sys', target: '/sys' },
    { kind: 'ro-bind-try', source: '/etc/vulkan', target: '/etc/vulkan' },
  ];
}

const TOOL_DIRECTORIES = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'];

/**
 * Tools are looked up in the system folders only, never through PATH: the
 * sandbox must not be built from whatever a user's PATH puts first.
 */
function findSystemTool(name: IsolationTool): string | null {
  for (const directory of TOOL_DIRECTORIES) {
    const candidate = path.join(directory, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next folder.
    }
  }
  return null;
}

function readProcFile(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

function platformName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS';
  if (platform === 'win32') return 'Windows';
  return platform;
}
