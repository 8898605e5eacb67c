/**
 * The worker's confinement, checked from inside: a probe script is started
 * with exactly the launch command the worker gets (same plan, same flags, same
 * environment) and tries what a hostile job would try.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkerLaunchCommand, canUseTensorRings } from '../../native/sandbox/worker-launch-command.ts';
import {
  describeWorkerSandbox,
  hasTensorRings,
  prepareWorkerSandbox,
  probeWorkerSandbox,
  type WorkerSandbox,
} from '../../native/sandbox/worker-sandbox.ts';
import { TENSOR_RING_BYTES } from '../../native/worker/tensor-ring.ts';
import { openTensorRingFile } from '../../native/worker/tensor-ring-file.ts';

const PROBE = `
import fs from 'node:fs';
import os from 'node:os';
const attempt = (fn) => { try { fn(); return 'allowed'; } catch (error) { return error.code ?? error.message; } };
const [outside, secret, ringBytes] = process.argv.slice(-3);
const hasRings = process.argv.includes('--tensor-rings');
const byte = Buffer.from('x');
const result = {
  writeTmp: attempt(() => fs.writeFileSync(outside + '/written', 'x')),
  readSecret: attempt(() => fs.readFileSync(secret, 'utf8')),
  readInputRing: hasRings ? attempt(() => fs.readSync(5, Buffer.alloc(1), 0, 1, 0)) : null,
  writeInputRing: hasRings ? attempt(() => fs.writeSync(5, byte, 0, 1, 0)) : null,
  writeOutputRing: hasRings ? attempt(() => fs.writeSync(6, byte, 0, 1, Number(ringBytes) - 1)) : null,
  writePastOutputRing: hasRings ? attempt(() => fs.writeSync(6, byte, 0, 1, Number(ringBytes))) : null,
  shrinkOutputRing: hasRings ? attempt(() => fs.ftruncateSync(6, 0)) : null,
  childProcess: await import('node:child_process').then((cp) => attempt(() => cp.execFileSync('/bin/true'))),
  workerThread: await import('node:worker_threads').then((wt) => attempt(() => new wt.Worker('1', { eval: true }))),
  env: Object.keys(process.env).filter((key) => !key.startsWith('NODE_CHANNEL')).sort(),
  pwd: process.env.PWD ?? null,
  interfaces: Object.keys(os.networkInterfaces()),
};
process.stdout.write(JSON.stringify(result));
`;

let probeDir: string;
let outsideDir: string;

beforeAll(() => {
  probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-probe-'));
  outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-outside-'));
  fs.writeFileSync(path.join(probeDir, 'probe.mjs'), PROBE);
  fs.writeFileSync(path.join(outsideDir, 'secret'), 'wallet key');
});

afterAll(() => {
  fs.rmSync(probeDir, { recursive: true, force: true });
  fs.rmSync(outsideDir, { recursive: true, force: true });
});

function runProbe(sandbox: WorkerSandbox): Record<string, unknown> {
  // The tensor rings as the supervisor passes them: the input ring read-only, the output ring writable.
  const input = canUseTensorRings(sandbox.plan) ? openTensorRingFile() : null;
  const output = canUseTensorRings(sandbox.plan) ? openTensorRingFile() : null;
  const command = buildWorkerLaunchCommand({
    plan: sandbox.plan,
    entry: path.join(probeDir, 'probe.mjs'),
    readPaths: [...sandbox.readPaths, probeDir],
    env: { ...sandbox.env },
    memoryLimitBytes: 2 * 1024 ** 3,
    heapLimitMb: 128,
    exposeGpu: false,
    tensorRings: input !== null && output !== null,
  });
  const args = [...command.args, outsideDir, path.join(outsideDir, 'secret'), String(TENSOR_RING_BYTES)];
  try {
    const result = spawnSync(command.command, args, {
      env: command.env,
      // bubblewrap reports the sandboxed pid on its info fd, which must be open.
      stdio: [
        'ignore',
        'pipe',
        'pipe',
        'ignore',
        command.infoFd === null ? 'ignore' : 'pipe',
        input?.readOnly ?? 'ignore',
        output?.readWrite ?? 'ignore',
      ],
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status, result.stderr).toBe(0);
    return {
      ...(JSON.parse(result.stdout) as Record<string, unknown>),
      hasRings: input !== null && output !== null,
      outputRingBytes: output === null ? null : fs.fstatSync(output.readOnly).size,
    };
  } finally {
    for (const fd of [input?.readOnly, input?.readWrite, output?.readOnly, output?.readWrite]) {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }
}

// What this machine offers, and the same without bubblewrap (where it is installed, the unshare path is
// otherwise never exercised here).
describe.each([
  ['as probed', () => prepareWorkerSandbox()],
  ['without bubblewrap', () => probeWorkerSandbox({ tools: { bwrap: null } })],
])('worker sandbox %s', (_, probe) => {
  let sandbox: WorkerSandbox;
  beforeAll(async () => {
    sandbox = await probe();
  });

  it('refuses file writes, reads outside the allowlist, child processes and worker threads', () => {
    const probe = runProbe(sandbox);
    expect(probe.writeTmp).toBe('ERR_ACCESS_DENIED');
    expect(probe.readSecret).toBe('ERR_ACCESS_DENIED');
    expect(probe.childProcess).toBe('ERR_ACCESS_DENIED');
    expect(probe.workerThread).toBe('ERR_ACCESS_DENIED');
    expect(fs.existsSync(path.join(outsideDir, 'written'))).toBe(false);
  });

  it('lets the worker read the input ring and write the output ring, and no further than the ring', () => {
    const probe = runProbe(sandbox);
    // Rings wherever an rlimit can bound them and a memory file system holds them; elsewhere tensors go inline.
    expect(probe.hasRings).toBe(hasTensorRings(sandbox.plan));
    if (probe.hasRings === false) {
      expect(probe.writeOutputRing).toBeNull();
      return;
    }
    expect(probe.readInputRing).toBe('allowed');
    expect(probe.writeInputRing).toBe('EBADF');
    expect(probe.writeOutputRing).toBe('allowed');
    // RLIMIT_FSIZE: the one file the worker can write cannot grow into the machine's memory.
    expect(probe.writePastOutputRing).toBe('EFBIG');
    expect(probe.outputRingBytes).toBe(TENSOR_RING_BYTES);
    // Sealed (the shared-memory addon's ring): the worker cannot shrink the file under the agent's mapping.
    expect(probe.shrinkOutputRing).toBe('EPERM');
  });

  it('passes only the variables the launch command names', () => {
    const probe = runProbe(sandbox);
    expect(probe.env).toEqual(describeWorkerSandbox(sandbox, 4 * 1024 ** 3).environment);
    if (probe.pwd !== null) expect(probe.pwd).toBe('/');
    expect(probe.env).not.toContain('HOME');
    expect(probe.env).not.toContain('PATH');
  });

  it('says honestly which isolation is active, and the network is really gone when it says so', () => {
    const report = describeWorkerSandbox(sandbox, 4 * 1024 ** 3);
    const probe = runProbe(sandbox);
    // A fresh network namespace has no interface but, under bubblewrap, its own loopback.
    if (report.network.isolated) expect((probe.interfaces as string[]).filter((name) => name !== 'lo')).toEqual([]);
    else expect(report.network.reason).toBeTruthy();
    expect(report.statusLines[0]).toMatch(report.network.isolated ? /no network/ : /network isolation unavailable/);
  });
});
