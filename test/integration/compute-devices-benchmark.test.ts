/**
 * `idlehive devices` and `idlehive benchmark` as real processes: detection
 * survives a hanging tool, and a quick benchmark measures every workload,
 * prints its report and stores the same report in the ledger.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeLayout } from '../../agent/home.ts';
import { BenchmarkRepository } from '../../agent/ledger/benchmark-repository.ts';
import { openLedger } from '../../agent/ledger/open-ledger.ts';
import { BenchmarkReportSchema } from '../../native/benchmark/benchmark-report.ts';
import { WORKLOAD_NAMES } from '../../native/benchmark/benchmark-workloads.ts';
import { DeviceReportSchema } from '../../native/devices/device-report.ts';

const CLI = path.resolve(import.meta.dirname, '../../bin/idlehive.js');
let scratch: string;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-compute-cli-'));
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

function idlehive(args: string[], env: NodeJS.ProcessEnv = process.env, timeout = 60_000) {
  return spawnSync(process.execPath, [CLI, '--home', path.join(scratch, 'home'), ...args], {
    encoding: 'utf8',
    env,
    timeout,
  });
}

describe('idlehive devices', () => {
  it('reports the CPU, the providers it tried and the isolation, even when nvidia-smi hangs', () => {
    const fakeTools = path.join(scratch, 'tools');
    fs.mkdirSync(fakeTools);
    fs.writeFileSync(path.join(fakeTools, 'nvidia-smi'), '#!/bin/sh\nsleep 60\n', { mode: 0o755 });
    const started = performance.now();
    const run = idlehive(['devices', '--json'], { ...process.env, PATH: `${fakeTools}:${process.env.PATH}` });
    expect(run.status, run.stderr).toBe(0);
    expect(performance.now() - started).toBeLessThan(30_000);
    const { devices, isolation } = JSON.parse(run.stdout);
    const report = DeviceReportSchema.parse(devices);
    expect(report.cpu.logicalThreads).toBeGreaterThan(0);
    expect(report.providers.find((check) => check.provider === 'cpu')?.usable).toBe(true);
    expect(report.notes.join('\n')).toMatch(/nvidia-smi did not answer within \d+ ms/);
    expect(isolation.statusLines.length).toBeGreaterThan(0);
  });
});

describe('idlehive benchmark', () => {
  it('measures every workload in quick mode, prints the report and stores it in the ledger', () => {
    const run = idlehive(['benchmark', '--quick', '--json'], process.env, 150_000);
    expect(run.status, run.stderr).toBe(0);
    const report = BenchmarkReportSchema.parse(JSON.parse(run.stdout));
    const cpu = report.devices.find((device) => device.device === 'cpu');
    expect(cpu?.workloads.map((result) => result.workload)).toEqual([...WORKLOAD_NAMES]);
    for (const result of cpu?.workloads ?? []) {
      expect(result.runs).toBeGreaterThanOrEqual(3);
      expect(result.p95Ms).toBeGreaterThanOrEqual(result.p50Ms);
      // A figure only where the rounds agreed; otherwise the reason instead.
      expect(result.throughput === null).toBe(!result.stable);
      expect(result.note === null).toBe(result.stable);
    }
    const db = openLedger(homeLayout(path.join(scratch, 'home')).ledgerFile);
    try {
      expect(new BenchmarkRepository(db).latest()).toEqual(report);
    } finally {
      db.close();
    }
  }, 180_000);
});
