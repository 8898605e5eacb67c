/**
 * Under bubblewrap the process the agent spawned is bwrap itself; the worker
 * is the child of the sandbox's init (bwrap's own pid 1 in the new PID
 * namespace). The supervisor needs the worker's host pid to kill it directly
 * (faster than a chain of parent-death signals) and to report it.
 */
import fs from 'node:fs';

/** The sandbox init's host pid from bwrap's --info-fd JSON, once it is complete. */
export function parseBwrapInfo(text: string): number | null {
  try {
    const info = JSON.parse(text) as { 'child-pid'?: unknown };
    const pid = info['child-pid'];
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * The host pid of the worker inside the sandbox: the sandbox init's only
 * child. /proc/PID/task/PID/children is exact where the kernel provides it;
 * otherwise every process's parent is checked.
 */
export function findSandboxedChildPid(initPid: number, procRoot = '/proc'): number | null {
  try {
    const children = fs.readFileSync(`${procRoot}/${initPid}/task/${initPid}/children`, 'utf8').trim().split(/\s+/);
    const first = Number(children[0]);
    if (Number.isInteger(first) && first > 0) return first;
  } catch {
    // No children file (CONFIG_PROC_CHILDREN off): scan below.
  }
  let entries: string[];
  try {
    entries = fs.readdirSync(procRoot);
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentPidOf(`${procRoot}/${entry}/stat`);
    if (parent === initPid) return Number(entry);
  }
  return null;
}

/** The ppid field of /proc/PID/stat; the command name before it may contain spaces and parentheses. */
export function parentPidOf(statFile: string): number | null {
  try {
    const stat = fs.readFileSync(statFile, 'utf8');
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parent = Number(afterName[1]);
    return Number.isInteger(parent) ? parent : null;
  } catch {
    return null;
  }
}
