/**
 * What the network costs a real small job: one provider takes it the way the
 * agent does (agent/work/lease-run.ts): lease, fetch its blobs (hash-checked),
 * run it in the sandboxed worker, submit the result (output hash, signed
 * request, the coordinator's transaction). Inside the worker is what the
 * agent reports as device time (the worker started, the session created, the
 * job run, the worker gone); outside is everything else in that cycle.
 *
 *     protocol_overhead_ratio = time outside the worker / time inside it (goal <= 0.25)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Wallet } from 'ethers';
import { fetchLeaseBlobs, RecordingCheckpointStore, startLeaseRun } from '../agent/work/lease-run.ts';
import { ProviderClient } from '../network/client/provider-client.ts';
import type { RequesterClient } from '../network/client/requester-client.ts';
import { classifierJob, cpuProfile } from '../test/integration/coordinator-fixtures.ts';

export interface OverheadSample {
  leaseMs: number;
  fetchMs: number;
  workerMs: number;
  submitMs: number;
}

export interface ProtocolOverhead {
  samples: OverheadSample[];
  /** Total time outside the worker over total time inside it. */
  ratio: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export function describeOverhead(overhead: ProtocolOverhead): string {
  const of = (key: keyof OverheadSample) => median(overhead.samples.map((sample) => sample[key])).toFixed(1);
  return `protocol overhead over ${overhead.samples.length} real small jobs (median ms): lease ${of('leaseMs')}, fetch blobs ${of('fetchMs')}, worker ${of('workerMs')}, submit ${of('submitMs')}`;
}

export async function measureProtocolOverhead(
  baseUrl: string,
  requester: RequesterClient,
  jobs: number,
): Promise<ProtocolOverhead> {
  const provider = await ProviderClient.register({ baseUrl, wallet: Wallet.createRandom(), profile: cpuProfile() });
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-overhead-'));
  const samples: OverheadSample[] = [];
  try {
    for (let index = 0; index < jobs; index++) {
      // A fresh model each time: a provider meets a job's blobs for the first time, and fetches them.
      const example = classifierJob(5000 + index);
      const { jobId } = await requester.submit(
        {
          spec: { ...example.spec, jobId: `overhead.${index}` },
          offer: { unit: 'device-second', maxPricePerUnit: '1000' },
        },
        [example.model],
      );
      for (;;) {
        const leasedAt = performance.now();
        const { leases, retryAfterMs } = await provider.lease(1);
        const lease = leases[0];
        if (lease === undefined) {
          await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
          continue;
        }
        if (lease.spec.jobId !== jobId) {
          // A copy left over from the throughput phase: not the job being measured.
          await provider.release(lease.leaseId);
          continue;
        }
        const fetchedAt = performance.now();
        const blobs = await fetchLeaseBlobs(lease, (ref) => provider.fetchBlob(ref));
        const ranAt = performance.now();
        const checkpoints = new RecordingCheckpointStore(path.join(directory, lease.leaseId));
        const outcome = await startLeaseRun(lease, { blobs, checkpoints, threads: 1 }).outcome;
        if (outcome.status !== 'completed')
          throw new Error(`the overhead job did not complete: ${JSON.stringify(outcome)}`);
        const submittedAt = performance.now();
        await provider.submit(lease.leaseId, outcome.submission);
        const doneAt = performance.now();
        const workerMs = outcome.submission.deviceMs;
        samples.push({
          leaseMs: fetchedAt - leasedAt,
          fetchMs: ranAt - fetchedAt,
          // The cycle's own bookkeeping around the worker (result shaping) counts as outside.
          workerMs,
          submitMs: doneAt - submittedAt + (submittedAt - ranAt - workerMs),
        });
        break;
      }
    }
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
  const inside = samples.reduce((total, sample) => total + sample.workerMs, 0);
  const outside = samples.reduce((total, sample) => total + sample.leaseMs + sample.fetchMs + sample.submitMs, 0);
  return { samples, ratio: outside / inside };
}
