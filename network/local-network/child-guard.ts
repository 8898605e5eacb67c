/**
 * Ties a child process's life to ours: a watchdog process (child-watchdog.ts)
 * holds a pipe from us and ends the child when the pipe closes, which is how
 * our death in any way, kill -9 included, reaches it. Exit handlers cannot do
 * that, and the local network's children (anvil, the coordinator) must never
 * outlive the `npm start` that owns them.
 */
import { spawn } from 'node:child_process';
import type net from 'node:net';
import path from 'node:path';

const WATCHDOG = path.join(import.meta.dirname, 'child-watchdog.ts');

/** Starts the watchdog for `pid`; the returned function ends it once the child was stopped cleanly. */
export function guardChild(pid: number): () => void {
  const watchdog = spawn(process.execPath, [WATCHDOG, String(pid)], { stdio: ['pipe', 'ignore', 'inherit'] });
  // Neither the watchdog nor its pipe may keep this process alive.
  watchdog.unref();
  (watchdog.stdin as net.Socket | null)?.unref();
  watchdog.on('error', () => {});
  return () => {
    watchdog.kill('SIGTERM');
  };
}
