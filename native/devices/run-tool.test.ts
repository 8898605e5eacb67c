import { describe, expect, it } from 'vitest';
import { describeToolFailure, runTool } from './run-tool.ts';

describe('runTool', () => {
  it('returns the output of a tool that succeeds', async () => {
    const result = await runTool('/bin/sh', ['-c', 'echo hello'], { timeoutMs: 5000 });
    expect(result).toMatchObject({ outcome: 'ok', stdout: 'hello\n' });
  });

  it('reports a missing tool instead of throwing', async () => {
    const result = await runTool('/nonexistent/nvidia-smi', [], { timeoutMs: 5000 });
    expect(result.outcome).toBe('missing');
    if (result.outcome !== 'ok') expect(describeToolFailure('nvidia-smi', result)).toBe('nvidia-smi is not installed');
  });

  it('kills a hanging tool and everything it started at the time limit', async () => {
    const started = performance.now();
    const result = await runTool('/bin/sh', ['-c', 'sleep 30; echo late'], { timeoutMs: 200 });
    expect(result).toEqual({ outcome: 'timeout', timeoutMs: 200 });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('bounds the output it keeps from a runaway tool', async () => {
    const result = await runTool('/bin/sh', ['-c', 'head -c 100000 /dev/zero'], {
      timeoutMs: 5000,
      maxOutputBytes: 1000,
    });
    expect(result.outcome).toBe('ok');
    if (result.outcome === 'ok') expect(result.stdout.length).toBeLessThanOrEqual(1000);
  });

  it('reports a failing tool with its first line of error output', async () => {
    const result = await runTool('/bin/sh', ['-c', 'echo broken >&2; exit 3'], { timeoutMs: 5000 });
    expect(result.outcome).toBe('failed');
    if (result.outcome !== 'ok')
      expect(describeToolFailure('lspci', result)).toBe('lspci failed (exit code 3): broken');
  });
});
