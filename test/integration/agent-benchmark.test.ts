/**
 * Devices and the benchmark through a real agent process: devices.get answers
 * from the probe made at start (and the CLI shows that same report), a quick
 * benchmark started through the API pushes its progress, puts the scheduler in
 * `benchmarking` until it ends, refuses a second run (from the API and from
 * the CLI), and stores the report that benchmark.latest returns; then
 * `idlehive benchmark` runs in the agent rather than beside it, and stopping
 * the agent mid-run kills the benchmark's worker and stores nothing. Two
 * quick runs (about 20 s each) are most of the cost.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchmarkFinishedEvent, BenchmarkProgressEvent } from '../../agent/compute/compute-views.ts';
import { homeLayout } from '../../agent/home.ts';
import { BenchmarkRepository } from '../../agent/ledger/benchmark-repository.ts';
import { openLedger } from '../../agent/ledger/open-ledger.ts';
import { connectLocalApi, type LocalApiConnection } from '../../agent/local-api/client.ts';
import type { Status } from '../../agent/local-api/contract.ts';
import { type BenchmarkReport, BenchmarkReportSchema } from '../../native/benchmark/benchmark-report.ts';
import { formatBenchmark } from '../../native/benchmark/format-benchmark.ts';
import { WORKLOAD_NAMES } from '../../native/benchmark/workload-names.ts';
import { DeviceReportSchema } from '../../native/devices/device-report.ts';
import {
  type AgentProcess,
  CLI,
  type CliResult,
  makeTempHome,
  REPO_ROOT,
  startAgentProcess,
} from '../support/agent-process.ts';
import { descendantPids, isAlive } from '../support/process-tree.ts';

let agent: AgentProcess;
let api: LocalApiConnection;

beforeAll(async () => {
  agent = await startAgentProcess(makeTempHome('idlehive-agent-benchmark-'));
  api = await connectLocalApi({ url: agent.endpoint.apiUrl, token: agent.endpoint.token });
  // On a shared test machine other programs may keep the CPU busy; that rule would change the state under the test.
  await api.call('scheduler.policy.set', { patch: { cpuBusyPercent: null } });
});

afterAll(async () => {
  api.close();
  await agent.stop();
  fs.rmSync(agent.home, { recursive: true, force: true });
});

/** The CLI as a separate process, without blocking this one (its WebSocket keeps receiving events). */
function idlehive(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--home', agent.home, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, IDLEHIVE_HOME: undefined },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('devices.get', () => {
  it('answers from the probe made at start, probes again on request, and the CLI shows what the agent found', async () => {
    const first = await api.call('devices.get', {});
    const report = DeviceReportSchema.parse(first.devices);
    expect(report.cpu.logicalThreads).toBeGreaterThan(0);
    expect(report.providers.find((check) => check.provider === 'cpu')?.usable).toBe(true);
    expect(first.isolation?.statusLines.length).toBeGreaterThan(0);

    expect(await api.call('devices.get', { refresh: false })).toEqual(first);
    // The CLI asks the agent: its report is the cached one, down to the probe's own duration.
    const cli = await idlehive(['devices', '--json']);
    expect(cli.status, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual({ devices: first.devices, isolation: first.isolation });

    const refreshed = await api.call('devices.get', { refresh: true });
    expect(refreshed.probedAt).toBeGreaterThanOrEqual(first.probedAt);
    expect(refreshed.devices.probeMs).not.toBe(first.devices.probeMs);
    expect(await api.call('devices.get', {})).toEqual(refreshed);
  }, 90_000);
});

describe('benchmark through the agent', () => {
  it('runs a quick benchmark in the agent: progress, benchmarking state, one run at a time, stored report', async () => {
    expect(await api.call('benchmark.latest', {})).toBeNull();
    const before = await api.call('status.get', {});
    expect(before.state).not.toBe('benchmarking');

    const progress: BenchmarkProgressEvent[] = [];
    const statuses: Status[] = [];
    const offProgress = api.on('benchmark.progress', (event) => progress.push(event));
    const offStatus = api.on('status', (status) => statuses.push(status));
    const finished = new Promise<BenchmarkFinishedEvent>((resolve) => api.on('benchmark.finished', resolve));

    const started = await api.call('benchmark.run', { mode: 'quick' });
    expect(started.mode).toBe('quick');
    const during = await api.call('status.get', {});
    expect(during).toMatchObject({ state: 'benchmarking', cause: 'benchmarking', devices: [], acceptsNewJobs: false });

    await expect(api.call('benchmark.run', { mode: 'full' })).rejects.toMatchObject({
      code: 'benchmark.running',
      message: expect.stringContaining('already running'),
    });
    const refusedCli = await idlehive(['benchmark', '--quick']);
    expect(refusedCli.status).toBe(1);
    expect(refusedCli.stderr).toMatch(/A quick benchmark is already running/);

    const end = await finished;
    offProgress();
    offStatus();
    if (end.outcome !== 'completed') throw new Error(`benchmark failed: ${end.code}: ${end.message}`);
    const report = BenchmarkReportSchema.parse(end.report);
    expect(report.mode).toBe('quick');
    expect(report.devices.find((device) => device.device === 'cpu')?.workloads.map((w) => w.workload)).toEqual([
      ...WORKLOAD_NAMES,
    ]);

    // Progress: every workload on the CPU, fractions that only grow, ending with the whole suite done.
    expect(progress.length).toBeGreaterThanOrEqual(WORKLOAD_NAMES.length);
    expect(new Set(progress.filter((p) => p.device === 'cpu').map((p) => p.workload))).toEqual(new Set(WORKLOAD_NAMES));
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ phase: 'done', fraction: 1, mode: 'quick' });

    // The pushed status went to benchmarking and came back; afterwards the agent is where it was before.
    const benchmarkingAt = statuses.findIndex((status) => status.state === 'benchmarking');
    expect(benchmarkingAt).toBeGreaterThanOrEqual(0);
    expect(statuses.slice(benchmarkingAt + 1).some((status) => status.state !== 'benchmarking')).toBe(true);
    const after = await api.call('status.get', {});
    expect({ state: after.state, cause: after.cause }).toEqual({ state: before.state, cause: before.cause });

    expect(await api.call('benchmark.latest', {})).toEqual(report);
  }, 180_000);

  it('`idlehive benchmark` runs in the agent, shows its progress and prints the report the agent stored', async () => {
    const previous = await api.call('benchmark.latest', {});
    const run = await idlehive(['benchmark', '--quick']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('Running in the agent; earning pauses until the benchmark is done.');
    expect(run.stderr).toMatch(/100 % cpu \(cpu\) silero-vad: done/);
    const stored = await api.call('benchmark.latest', {});
    expect(stored?.startedAt).toBeGreaterThan(previous?.startedAt ?? 0);
    expect(run.stdout).toBe(`${formatBenchmark(stored as BenchmarkReport)}\n`);
  }, 180_000);

  it('stopping the agent mid-run kills the benchmark worker, exits cleanly and stores nothing', async () => {
    const stored = await api.call('benchmark.latest', {});
    const measuring = new Promise<void>((resolve) => {
      const off = api.on('benchmark.progress', (progress) => {
        if (progress.phase !== 'measuring') return;
        off();
        resolve();
      });
    });
    await api.call('benchmark.run', { mode: 'full' });
    await measuring;
    const workers = descendantPids(agent.child.pid as number);
    expect(workers.length).toBeGreaterThan(0);
    expect(await agent.stop()).toBe(0);
    expect(workers.filter((pid) => isAlive(pid))).toEqual([]);
    const db = openLedger(homeLayout(agent.home).ledgerFile);
    try {
      expect(new BenchmarkRepository(db).latest()).toEqual(stored);
    } finally {
      db.close();
    }
  }, 60_000);
});
