/**
 * Runs an external tool (nvidia-smi, lspci, sysctl, bwrap...) with a hard time
 * limit and never throws: a missing, failing or hanging tool is an outcome the
 * caller reports, not a crash or a hang of the agent.
 */
import { spawn } from 'node:child_process';

export type ToolResult =
  | { outcome: 'ok'; stdout: string; stderr: string; durationMs: number }
  | { outcome: 'failed'; exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }
  | { outcome: 'missing'; message: string }
  | { outcome: 'timeout'; timeoutMs: number };

export interface RunToolOptions {
  timeoutMs: number;
  /** Output beyond this is dropped; a runaway tool cannot fill the agent's memory. */
  maxOutputBytes?: number;
  env?: NodeJS.ProcessEnv;
  /** Text written to the tool's stdin; without it stdin is closed. */
  input?: string;
}

const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

export function runTool(command: string, args: readonly string[], options: RunToolOptions): Promise<ToolResult> {
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: ToolResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const isWindows = process.platform === 'win32';
    const child = spawn(command, args, {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      // Its own process group, so a timeout also kills what the tool started (a script's `sleep`
      // would otherwise keep the pipes open after the script itself is gone).
      detached: !isWindows,
      windowsHide: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (stdoutBytes < maxOutputBytes) stdout.push(chunk);
      stdoutBytes += chunk.length;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderrBytes < maxOutputBytes) stderr.push(chunk);
      stderrBytes += chunk.length;
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer = setTimeout(() => {
      killTree(child.pid, isWindows, () => child.kill('SIGKILL'));
      settle({ outcome: 'timeout', timeoutMs: options.timeoutMs });
    }, options.timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EACCES') {
        settle({ outcome: 'missing', message: `${command} is not available (${error.code})` });
      } else {
        settle({ outcome: 'failed', exitCode: null, signal: null, stdout: '', stderr: error.message });
      }
    });
    child.once('close', (exitCode, signal) => {
      const out = Buffer.concat(stdout).toString('utf8').slice(0, maxOutputBytes);
      const err = Buffer.concat(stderr).toString('utf8').slice(0, maxOutputBytes);
      if (exitCode === 0) {
        settle({ outcome: 'ok', stdout: out, stderr: err, durationMs: performance.now() - started });
      } else {
        settle({ outcome: 'failed', exitCode, signal, stdout: out, stderr: err });
      }
    });
  });
}

function killTree(pid: number | undefined, isWindows: boolean, fallback: () => void): void {
  if (pid === undefined) return;
  if (isWindows) {
    fallback();
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    fallback();
  }
}

/** A one-line description of a failed tool run, for reports and logs. */
export function describeToolFailure(tool: string, result: Exclude<ToolResult, { outcome: 'ok' }>): string {
  switch (result.outcome) {
    case 'missing':
      return `${tool} is not installed`;
    case 'timeout':
      return `${tool} did not answer within ${result.timeoutMs} ms`;
    case 'failed': {
      const firstLine = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
      const status = result.signal ? `signal ${result.signal}` : `exit code ${result.exitCode}`;
      return firstLine ? `${tool} failed (${status}): ${firstLine}` : `${tool} failed (${status})`;
    }
  }
}
