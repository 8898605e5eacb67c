/**
 * Coordinator throughput: a real coordinator process on loopback, many
 * simulated providers in this process (so the coordinator's CPU is measured
 * apart from theirs) leasing tiny jobs, one at a time, "running" them
 * (the answers were computed beforehand with onnxruntime, so only the
 * network's work is measured) and submitting; replication on, every request
 * signed with an Ed25519 session key and verified by the coordinator, every
 * decision committed to its SQLite file. Ends with
 *
 *     coordinator_jobs_per_s=  jobs verified per second of the lease-run-submit-verify phase (goal >= 500)
 *
 * and then, on the same coordinator, real small jobs run through the agent's
 * lease path (bench/protocol-overhead.ts):
 *
 *     protocol_overhead_ratio=  time outside the worker / inside it (goal <= 0.25)
 *     protocol_overhead_vs_goal=  that ratio / 0.25 (<= 1 meets the goal)
 *
 * Run: npm run bench:network [-- --providers N --jobs N --overheadJobs N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import ort from 'onnxruntime-node';
import { bytesOf, inlineTensorSpec } from '../native/jobs/tensor-bytes.ts';
import { TrainStepNames } from '../native/onnx/graphs/train-step-io.ts';
import { normalArray, seededRandom } from '../native/onnx/seeded-random.ts';
import { ProviderClient } from '../network/client/provider-client.ts';
import { RequesterClient } from '../network/client/requester-client.ts';
import { spawnCoordinator } from '../network/coordinator/spawn-coordinator.ts';
import type { InferenceJobSpec } from '../network/jobs/job-spec-view.ts';
import { float32Tensor, type InlineTensor } from '../network/jobs/tensors.ts';
import { classifierJob, cpuProfile, LAYERS } from '../test/integration/coordinator-fixtures.ts';
import { describeOverhead, measureProtocolOverhead } from './protocol-overhead.ts';

interface Options {
  providers: number;
  jobs: number;
  /** Real small jobs run for protocol_overhead_ratio. */
  overheadJobs: number;
}

const OVERHEAD_GOAL = 0.25;

function parseOptions(argv: string[]): Options {
  const options: Options = { providers: 200, jobs: 4000, overheadJobs: 10 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '') as keyof Options;
    const value = Number(argv[i + 1]);
    if (!(key in options) || !Number.isInteger(value) || value < 1)
      throw new Error(`unknown option ${argv[i]} ${argv[i + 1]}`);
    options[key] = value;
  }
  return options;
}

/** CPU seconds a process has used (Linux /proc), to tell the coordinator's cost from the simulated providers'. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const line = (text: string) => process.stdout.write(`${text}\n`);

const options = parseOptions(process.argv.slice(2));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-bench-network-'));
const coordinator = await spawnCoordinator({
  dataDir,
  settings: { limits: { maxNoncesPerAccount: 1_000_000, noWorkRetryMs: 20 } },
  nodeArgs: process.env.BENCH_NODE_ARGS?.split(' '),
});
const { url, child } = coordinator;
try {
  const base = classifierJob(1);
  const session = await ort.InferenceSession.create(base.model, { intraOpNumThreads: 1 });
  const requester = await RequesterClient.register({ baseUrl: url, wallet: Wallet.createRandom() });
  await requester.uploadBlobs([base.model]);

  // Jobs and their answers, before the clock starts.
  const answers = new Map<string, InlineTensor[][]>();
  for (let i = 0; i < options.jobs; i++) {
    const values = normalArray(seededRandom(9000 + i), 5 * LAYERS[0], 1);
    const spec: InferenceJobSpec = {
      ...base.spec,
      jobId: `bench.${i}`,
      feeds: [
        [
          inlineTensorSpec({
            name: TrainStepNames.features,
            dtype: 'float32',
            dims: [5, LAYERS[0]],
            data: bytesOf(values),
          }),
        ],
      ],
    };
    const out = (await session.run({ [TrainStepNames.features]: new ort.Tensor('float32', values, [5, LAYERS[0]]) }))
      .probs as ort.Tensor;
    const status = await requester.client.call('submitJob', {
      body: { spec, offer: { unit: 'device-second', maxPricePerUnit: '1000' } },
    });
    answers.set(status.jobId, [[float32Tensor('probs', [...out.dims], out.data as Float32Array)]]);
  }
  const providers = await Promise.all(
    Array.from({ length: options.providers }, () =>
      ProviderClient.register({ baseUrl: url, wallet: Wallet.createRandom(), profile: cpuProfile() }),
    ),
  );

  const coordinatorCpuAtStart = cpuSeconds(child.pid as number);
  const benchCpuAtStart = process.cpuUsage();
  const verified = new Set<string>();
  let requests = 0;
  let copies = 0;
  const startedAt = performance.now();
  await Promise.all(
    providers.map(async (provider) => {
      while (verified.size < answers.size) {
        const { leases, retryAfterMs } = await provider.lease(1);
        requests++;
        if (leases.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
          continue;
        }
        for (const lease of leases) {
          const outputs = answers.get(lease.spec.jobId) ?? (await canaryAnswer(lease.spec as InferenceJobSpec));
          const reply = await provider.submit(lease.leaseId, {
            outputs,
            appVersion: '0.1.0',
            onnxruntimeVersion: '1.30.0',
            executionProvider: 'cpu',
            deviceMs: 5,
          });
          requests++;
          copies++;
          if (reply.outcome === 'valid' && answers.has(lease.spec.jobId)) verified.add(lease.spec.jobId);
        }
      }
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  const coordinatorCpu = cpuSeconds(child.pid as number) - coordinatorCpuAtStart;
  const benchCpu = process.cpuUsage(benchCpuAtStart);

  /** A canary replays a verified job under a new id; its feed says which. */
  async function canaryAnswer(spec: InferenceJobSpec): Promise<InlineTensor[][]> {
    const feed = spec.feeds[0]?.[0];
    if (feed?.data.kind !== 'inline') throw new Error('bench feeds are inline');
    const bytes = Buffer.from(feed.data.base64, 'base64');
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const out = (await session.run({ [feed.name]: new ort.Tensor('float32', values, feed.dims) })).probs as ort.Tensor;
    return [[float32Tensor('probs', [...out.dims], out.data as Float32Array)]];
  }

  line(
    `network bench: ${options.providers} providers, ${options.jobs} jobs verified in ${seconds.toFixed(1)} s; ${copies} copies (${(copies / options.jobs).toFixed(2)} per job), ${requests} signed requests (${(requests / seconds).toFixed(0)} per s)`,
  );
  line(
    `CPU per signed request: coordinator ${((coordinatorCpu * 1000) / requests).toFixed(2)} ms (all its threads; ${((100 * coordinatorCpu) / seconds).toFixed(0)} % of one core over the phase), simulated providers ${((benchCpu.user + benchCpu.system) / 1000 / requests).toFixed(2)} ms; load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`,
  );
  line(`coordinator_jobs_per_s=${(options.jobs / seconds).toFixed(0)}`);

  const overhead = await measureProtocolOverhead(url, requester, options.overheadJobs);
  line(describeOverhead(overhead));
  line(`protocol_overhead_ratio=${overhead.ratio.toFixed(3)}`);
  line(`protocol_overhead_vs_goal=${(overhead.ratio / OVERHEAD_GOAL).toFixed(2)}`);
} finally {
  await coordinator.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
