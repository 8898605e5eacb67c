/**
 * bubblewrap's command line for the worker: every namespace unshared (the
 * network namespace has no interfaces at all), no capabilities, a new session
 * (no terminal injection), killed with the agent, and a file system that holds
 * only the system libraries, the Node binary and the worker's read paths, all
 * read-only. Unlike Node's permission model this also confines the ONNX
 * runtime's native code.
 */
import type { BwrapMount } from './isolation-plan.ts';

export interface BwrapView {
  nodePath: string;
  readPaths: readonly string[];
  systemMounts: readonly BwrapMount[];
  /** GPU device nodes, only for jobs on a GPU execution provider. */
  gpuMounts: readonly BwrapMount[];
  /** The file descriptor bwrap writes {"child-pid": N} to: the sandbox's first process as the host sees it. */
  infoFd: number | null;
}

export function bwrapArguments(view: BwrapView): string[] {
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL'];
  for (const mount of view.systemMounts) args.push(...mountArguments(mount));
  args.push('--proc', '/proc', '--dev', '/dev');
  for (const mount of view.gpuMounts) args.push(...mountArguments(mount));
  args.push(...mountArguments({ kind: 'ro-bind', source: view.nodePath, target: view.nodePath }));
  for (const readPath of view.readPaths) {
    args.push(...mountArguments({ kind: 'ro-bind-try', source: readPath, target: readPath }));
  }
  // onnxruntime sizes its thread pool from the CPU topology; without it, it guesses.
  args.push(
    ...mountArguments({ kind: 'ro-bind-try', source: '/sys/devices/system/cpu', target: '/sys/devices/system/cpu' }),
  );
  // bwrap's root is a tmpfs; read-only, the sandbox has nowhere to write at all.
  args.push('--remount-ro', '/');
  // bwrap always sets PWD; from / it tells the worker nothing about the agent's folders.
  args.push('--chdir', '/');
  if (view.infoFd !== null) args.push('--info-fd', String(view.infoFd));
  return args;
}

function mountArguments(mount: BwrapMount): string[] {
  switch (mount.kind) {
    case 'symlink':
      return ['--symlink', mount.source, mount.target];
    case 'ro-bind':
      return ['--ro-bind', mount.source, mount.target];
    case 'ro-bind-try':
      return ['--ro-bind-try', mount.source, mount.target];
    case 'dev-bind-try':
      return ['--dev-bind-try', mount.source, mount.target];
  }
}
