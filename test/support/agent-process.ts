/**
 * Starts a real agent process (`idlehive agent`) on a temporary home and waits
 * until it serves its local API. Tests talk to it exactly as the CLI does.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { homeLayout } from '../../agent/home.ts';
import { type EndpointFile, readEndpointFile } from '../../agent/local-api/endpoint-file.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(REPO_ROOT, 'bin/idlehive.js');

export function makeTempHome(prefix = 'idlehive-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface AgentProcess {
  home: string;
  child: ChildProcess;
  endpoint: EndpointFile;
  output(): string;
  /** SIGTERM and wait; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

/** `pollMs`: how often to probe; a measurement that times the wait itself polls finer than the default. */
export async function waitFor<T>(
  probe: () => T | null | undefined,
  timeoutMs: number,
  what: string,
  pollMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * Tests pass --port explicitly; without one they get a free port, never the default. `startTimeoutMs`: how
 * long the agent may take to serve its API (longer for benches that restart it on a loaded machine).
 */
export async function startAgentProcess(
  home: string,
  extraArgs: string[] = ['--port', '0'],
  startTimeoutMs = 15_000,
): Promise<AgentProcess> {
  const endpointFile = homeLayout(home).endpointFile;
  const child = spawn(process.execPath, [CLI, '--home', home, 'agent', ...extraArgs], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, IDLEHIVE_HOME: undefined },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const endpoint = await waitFor(
    () => {
      if (hasExited) throw new Error(`agent exited early:\n${output}`);
      const file = readEndpointFile(endpointFile);
      return file && file.pid === child.pid ? file : null;
    },
    startTimeoutMs,
    'the agent endpoint file',
  );
  return {
    home,
    child,
    endpoint,
    output: () => output,
    async stop() {
      if (!hasExited) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (!hasExited) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `input` is written to the command's stdin (answers to its prompts, one per line). */
export function runCliSync(home: string, args: string[], input?: string): CliResult {
  const result = spawnSync(process.execPath, [CLI, '--home', home, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    input,
    env: { ...process.env, IDLEHIVE_HOME: undefined },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
