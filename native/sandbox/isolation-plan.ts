/**
 * Which OS mechanisms confine the worker on this machine, as found by
 * isolation-probe.ts. The launch command is built from this plan, and the
 * isolation report describes it, so what runs and what the UI says cannot
 * drift apart.
 */

export interface BwrapMount {
  kind: 'ro-bind' | 'ro-bind-try' | 'dev-bind-try' | 'symlink';
  source: string;
  target: string;
}

export type MemoryLimitMethod =
  /** util-linux prlimit sets RLIMIT_DATA and execs the worker. */
  | { kind: 'prlimit'; tool: string }
  /** The shell's `ulimit -d`, then exec, where prlimit is missing. */
  | { kind: 'ulimit'; shell: string }
  | { kind: 'none'; reason: string };

export type NamespaceMethod =
  /** bubblewrap: new user, PID, network, IPC, UTS and mount namespaces with a read-only view of only the runtime's files. */
  | { kind: 'bwrap'; tool: string; systemMounts: BwrapMount[]; gpuMounts: BwrapMount[] }
  /** util-linux unshare: new user, network, IPC and UTS namespaces; the file system stays the host's. */
  | { kind: 'unshare'; tool: string; userMapping: '--map-current-user' | '--map-root-user' }
  | { kind: 'none'; reason: string };

export type PrivilegeDropMethod =
  /** util-linux setpriv: no_new_privs, no capabilities, and SIGKILL when the agent dies. */
  { kind: 'setpriv'; tool: string } | { kind: 'none'; reason: string };

export interface IsolationPlan {
  platform: NodeJS.Platform;
  /** The worker's Node binary with symlinks resolved, as the bubblewrap view binds it. */
  nodePath: string;
  memoryLimit: MemoryLimitMethod;
  namespace: NamespaceMethod;
  privilegeDrop: PrivilegeDropMethod;
}

/** A plan that uses only Node's permission model: for platforms without the Linux tools, and for tests. */
export function permissionModelOnlyPlan(nodePath: string, platform: NodeJS.Platform, reason: string): IsolationPlan {
  return {
    platform,
    nodePath,
    memoryLimit: { kind: 'none', reason },
    namespace: { kind: 'none', reason },
    privilegeDrop: { kind: 'none', reason },
  };
}
