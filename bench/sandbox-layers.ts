/**
 * `node bench/sandbox-layers.ts [workload] [--spin] [--runs N] [--rounds N]`:
 * what each layer of the worker sandbox costs. For the full sandbox and for
 * the worker with one layer taken away (no memory rlimit, no bubblewrap,
 * Node's permission model alone, and plain Node without the permission
 * model), it interleaves rounds of a job's pipelined batches with the same
 * runs in this process, and prints per run: the worker's wall time, the time
 * inside onnxruntime as the worker measured it, and the in-process time.
 * Wall minus inside is what the IPC path costs; inside versus in-process is
 * what the sandbox costs onnxruntime itself. On Linux it also prints the CPU
 * the worker and this process (the agent's side) spent per run. A diagnostic for
 * sandbox_throughput_ratio (bench/compute.ts); figures are in ARCHITECTURE.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { percentile } from '../native/benchmark/benchmark-stats.ts';
import {
  type BenchmarkWorkload,
  benchmarkWorkloads,
  type WorkloadName,
} from '../native/benchmark/benchmark-workloads.ts';
import { permissionModelOnlyPlan } from '../native/sandbox/isolation-plan.ts';
import { prepareWorkerSandbox, type WorkerSandbox } from '../native/sandbox/worker-sandbox.ts';
import { sessionOptionsFor, toOrtSessionOptions } from '../native/worker/session-options.ts';
import type { RunResult } from '../native/worker/worker-protocol.ts';
import { startWorker, type WorkerHandle } from '../native/worker/worker-supervisor.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    spin: { type: 'boolean', default: false },
    runs: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '9' },
    batches: { type: 'string', default: '4' },
  },
});
const [workload] = benchmarkWorkloads([(positionals[0] ?? 'transformer') as WorkloadName]) as [BenchmarkWorkload];
const runsPerRound = Number(values.runs);
const batchesPerRound = Number(values.batches);
const rounds = Number(values.rounds);
const options = sessionOptionsFor({ threads: os.availableParallelism(), isDutyCycled: !values.spin });
const SETTLE_MS = 100;
const TICK_MS = 10;

/** CPU time of a process in ms, from /proc (Linux); null elsewhere. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** A wrapper that drops the permission-model flags and execs Node: the worker without that layer. */
function nodeWithoutPermissionModel(nodePath: string): string {
  const wrapper = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-layers-')), 'node');
  const drop = '--permission|--allow-*|--disallow-code-generation-from-strings';
  fs.writeFileSync(
    wrapper,
    `#!/bin/sh\nfor a in "$@"; do case "$a" in ${drop}) ;; *) set -- "$@" "$a";; esac; shift; done\nexec ${nodePath} "$@"\n`,
    { mode: 0o755 },
  );
  return wrapper;
}

const full = await prepareWorkerSandbox();
const variants: Record<string, WorkerSandbox> = {
  'full sandbox': full,
  'no rlimit': { ...full, plan: { ...full.plan, memoryLimit: { kind: 'none', reason: 'measured without' } } },
  'no bubblewrap': { ...full, plan: { ...full.plan, namespace: { kind: 'none', reason: 'measured without' } } },
  'permission model only': {
    ...full,
    plan: permissionModelOnlyPlan(full.plan.nodePath, full.plan.platform, 'measured'),
  },
  'plain node': {
    ...full,
    plan: permissionModelOnlyPlan(nodeWithoutPermissionModel(full.plan.nodePath), full.plan.platform, 'measured'),
  },
};

async function sandboxedRound(worker: WorkerHandle): Promise<RunResult[]> {
  const batch = () =>
    worker.runBatch({
      runs: Array.from({ length: runsPerRound / batchesPerRound }, () => workload.feed),
      outputNames: [...workload.outputNames],
    });
  const results: RunResult[] = [];
  let next: ReturnType<typeof batch> | null = batch();
  for (let sent = 1; next !== null; sent++) {
    const current = next;
    next = sent < batchesPerRound ? batch() : null;
    results.push(...(await current).results);
  }
  return results;
}

const session = await ort.InferenceSession.create(workload.modelBytes, toOrtSessionOptions(options, ['cpu']));
const feeds = Object.fromEntries(
  Object.entries(workload.feed).map(([name, tensor]) => [name, new ort.Tensor(tensor.dtype, tensor.data, tensor.dims)]),
);
for (let i = 0; i < 5; i++) await session.run(feeds);
process.stdout.write(
  `${workload.label}, ${options.intraOpNumThreads} threads, spinning ${options.allowSpinning ? 'on' : 'off'}; ms per run, median (min) of ${rounds} rounds of ${runsPerRound} runs\n`,
);
for (const [label, sandbox] of Object.entries(variants)) {
  const worker = await startWorker({ sandbox });
  await worker.load({ modelBytes: workload.modelBytes, sessionOptions: options });
  await sandboxedRound(worker);
  const wall: number[] = [];
  const inside: number[] = [];
  const local: number[] = [];
  const workerCpu: number[] = [];
  const agentCpu: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await settle();
    const workerCpuBefore = processCpuMs(worker.pid);
    const agentCpuBefore = process.cpuUsage();
    let started = performance.now();
    const results = await sandboxedRound(worker);
    wall.push((performance.now() - started) / runsPerRound);
    const workerCpuAfter = processCpuMs(worker.pid);
    if (workerCpuBefore !== null && workerCpuAfter !== null) {
      workerCpu.push((workerCpuAfter - workerCpuBefore) / runsPerRound);
    }
    const agent = process.cpuUsage(agentCpuBefore);
    agentCpu.push((agent.user + agent.system) / 1000 / runsPerRound);
    inside.push(results.reduce((sum, result) => sum + result.runMs, 0) / runsPerRound);
    await settle();
    started = performance.now();
    for (let i = 0; i < runsPerRound; i++) await session.run(feeds);
    local.push((performance.now() - started) / runsPerRound);
  }
  await worker.close();
  const show = (list: number[]) => `${percentile(list, 50).toFixed(2)} (${Math.min(...list).toFixed(2)})`;
  const cpu = workerCpu.length > 0 ? `; CPU: worker ${show(workerCpu)}, agent ${show(agentCpu)}` : '';
  process.stdout.write(
    `${label.padEnd(22)} worker wall ${show(wall)}, inside onnxruntime ${show(inside)} | in-process ${show(local)}${cpu}\n`,
  );
}
await session.release();
