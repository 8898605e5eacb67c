/**
 * CPU time of a process and all its descendants, read from /proc (Linux; the
 * benchmarks run there). Descendants count because the agent's work runs in
 * child processes, and "the agent's CPU use" must include them.
 */
import fs from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100;

function readStat(pid: number): { ppid: number; cpuTicks: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** The pids of a process's descendants (children, grandchildren…), alive now. */
export function descendantPids(rootPid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat) parentOf.set(pid, stat.ppid);
  }
  const found: number[] = [];
  let frontier = [rootPid];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const [pid, ppid] of parentOf) if (frontier.includes(ppid)) next.push(pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** Seconds of CPU a process tree has used so far. */
export function treeCpuSeconds(rootPid: number): number {
  if (os.platform() !== 'linux') throw new Error('process CPU sampling reads /proc and needs Linux');
  const pids = [rootPid, ...descendantPids(rootPid)];
  return pids.reduce((sum, pid) => sum + (readStat(pid)?.cpuTicks ?? 0), 0) / TICKS_PER_SECOND;
}

/**
 * Whether a process still holds the machine: a zombie (killed, waiting for its
 * parent to collect its exit status) has already given back its memory and
 * CPU, and in a container whose PID 1 reaps lazily it can linger for seconds.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
