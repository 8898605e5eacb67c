import { describe, expect, it } from 'vitest';
import { TENSOR_RING_BYTES } from '../worker/tensor-ring.ts';
import { TENSOR_RINGS_FLAG } from '../worker/worker-tensor-transport.ts';
import { type IsolationPlan, permissionModelOnlyPlan } from './isolation-plan.ts';
import { buildIsolationReport } from './isolation-report.ts';
import { buildWorkerLaunchCommand, canUseTensorRings, workerNodeArguments } from './worker-launch-command.ts';

const base = {
  entry: '/app/native/worker/worker-main.ts',
  readPaths: ['/app/native/worker', '/app/node_modules/onnxruntime-node'],
  env: { ORT_DISABLE_TELEMETRY: '1' },
  memoryLimitBytes: 2 * 1024 ** 3,
  heapLimitMb: 256,
  exposeGpu: false,
  tensorRings: false,
};

const linuxPlan: IsolationPlan = {
  platform: 'linux',
  nodePath: '/usr/bin/node',
  memoryLimit: { kind: 'prlimit', tool: '/usr/bin/prlimit' },
  namespace: { kind: 'unshare', tool: '/usr/bin/unshare', userMapping: '--map-current-user' },
  privilegeDrop: { kind: 'setpriv', tool: '/usr/bin/setpriv' },
};

describe('worker launch command', () => {
  it('gives Node the permission model with reads limited to the allowlist and nothing else allowed', () => {
    const args = workerNodeArguments(base);
    expect(args).toContain('--permission');
    expect(args.filter((arg) => arg.startsWith('--allow-'))).toEqual([
      '--allow-addons',
      '--allow-fs-read=/app/native/worker',
      '--allow-fs-read=/app/node_modules/onnxruntime-node',
    ]);
    expect(args.at(-1)).toBe(base.entry);
  });

  it('chains prlimit -> unshare -> setpriv -> node, each exec-ing the next', () => {
    const command = buildWorkerLaunchCommand({ ...base, plan: linuxPlan });
    const argv = [command.command, ...command.args];
    const order = ['/usr/bin/prlimit', '/usr/bin/unshare', '/usr/bin/setpriv', '/usr/bin/node'].map((tool) =>
      argv.indexOf(tool),
    );
    expect(order.every((index, i) => index >= 0 && (i === 0 || index > (order[i - 1] as number)))).toBe(true);
    expect(argv).toContain(`--data=${2 * 1024 ** 3}`);
    expect(argv).toContain('--net');
    expect(command.env).toEqual(base.env);
    expect(command.infoFd).toBeNull();
  });

  it('bounds the one file the worker may write (the output ring) with RLIMIT_FSIZE when it passes the tensor rings', () => {
    const command = buildWorkerLaunchCommand({ ...base, plan: linuxPlan, tensorRings: true });
    const argv = [command.command, ...command.args];
    expect(argv).toContain(`--fsize=${TENSOR_RING_BYTES}`);
    expect(argv.indexOf(`--fsize=${TENSOR_RING_BYTES}`)).toBeLessThan(argv.indexOf('--'));
    expect(argv.at(-1)).toBe(TENSOR_RINGS_FLAG);
    const shell = buildWorkerLaunchCommand({
      ...base,
      plan: { ...linuxPlan, memoryLimit: { kind: 'ulimit', shell: '/bin/sh' } },
      tensorRings: true,
    });
    expect(shell.args[1]).toMatch(/ulimit -f "\$2"/);
    expect(shell.args).toContain(String(TENSOR_RING_BYTES / 512));
    // Without an rlimit nothing would bound the ring, so the rings are refused.
    expect(canUseTensorRings(permissionModelOnlyPlan('/usr/bin/node', 'linux', 'no tools'))).toBe(false);
    expect(() =>
      buildWorkerLaunchCommand({
        ...base,
        plan: permissionModelOnlyPlan('/usr/bin/node', 'linux', 'no tools'),
        tensorRings: true,
      }),
    ).toThrow(/rlimit/);
    expect(buildWorkerLaunchCommand({ ...base, plan: linuxPlan }).args).not.toContain(TENSOR_RINGS_FLAG);
  });

  it('falls back to the shell ulimit with the limit in KiB', () => {
    const plan: IsolationPlan = { ...linuxPlan, memoryLimit: { kind: 'ulimit', shell: '/bin/sh' } };
    const command = buildWorkerLaunchCommand({ ...base, plan });
    expect(command.command).toBe('/bin/sh');
    expect(command.args).toContain(String(2 * 1024 ** 2));
  });

  it('runs Node directly where no OS tool is available, and the report says what is missing', () => {
    const plan = permissionModelOnlyPlan('/usr/bin/node', 'darwin', 'this is macOS');
    const command = buildWorkerLaunchCommand({ ...base, plan });
    expect(command.command).toBe('/usr/bin/node');
    const report = buildIsolationReport({
      plan,
      runtime: { nodePath: '/usr/bin/node', source: 'current-node', note: null },
      readPaths: base.readPaths,
      environment: base.env,
      memoryLimitBytes: base.memoryLimitBytes,
      tensorRings: false,
      sharedMemory: false,
    });
    expect(report.network.isolated).toBe(false);
    expect(report.memoryLimit.applied).toBe(false);
    expect(report.statusLines.join('\n')).toMatch(/network isolation unavailable on this system: this is macOS/);
  });

  it('uses bubblewrap alone when available, with the sandboxed pid on the info fd', () => {
    const plan: IsolationPlan = {
      ...linuxPlan,
      memoryLimit: { kind: 'none', reason: 'test' },
      namespace: { kind: 'bwrap', tool: '/usr/bin/bwrap', systemMounts: [], gpuMounts: [] },
    };
    const command = buildWorkerLaunchCommand({ ...base, plan });
    expect(command.command).toBe('/usr/bin/bwrap');
    expect(command.args).toContain('--unshare-all');
    expect(command.args).not.toContain('/usr/bin/setpriv');
    expect(command.infoFd).toBe(4);
    expect(command.hasPidNamespace).toBe(true);
  });
});
