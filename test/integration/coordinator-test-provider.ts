/**
 * One lease run the way the agent runs it (agent/work/lease-run.ts: blobs
 * fetched and hash-checked, the job in the sandboxed worker, every training
 * checkpoint kept, an audit resumed from its start state), then submitted. A
 * dishonest provider changes its outputs and checkpoints before submitting.
 * No scheduling, outbox or retries: those are the agent's provider loop.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchLeaseBlobs, RecordingCheckpointStore, startLeaseRun } from '../../agent/work/lease-run.ts';
import type { ProviderClient } from '../../network/client/provider-client.ts';
import { encodeCheckpoint, readCheckpoint } from '../../network/jobs/checkpoint-state.ts';
import type { OutputGroups } from '../../network/jobs/tensors.ts';
import type { Lease, SubmitResultResponse } from '../../network/wire/leases.ts';
import { tampered } from './coordinator-fixtures.ts';

export async function runLease(
  client: ProviderClient,
  lease: Lease,
  options: { dishonest?: boolean } = {},
): Promise<SubmitResultResponse> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-test-provider-'));
  try {
    const blobs = await fetchLeaseBlobs(lease, (ref) => client.fetchBlob(ref));
    const run = startLeaseRun(lease, { blobs, checkpoints: new RecordingCheckpointStore(directory), threads: 1 });
    const outcome = await run.outcome;
    if (outcome.status !== 'completed') throw new Error(`the lease did not complete: ${JSON.stringify(outcome)}`);
    const { submission } = outcome;
    if (!options.dishonest) return client.submit(lease.leaseId, submission);
    return client.submit(lease.leaseId, {
      ...submission,
      outputs: tampered(submission.outputs),
      checkpoints: (submission.checkpoints ?? []).map(({ step, bytes }) => {
        const read = readCheckpoint(bytes, step);
        if (!read.ok) throw new Error(read.reason);
        const params = tampered([read.params])[0] as OutputGroups[number];
        return { step, bytes: encodeCheckpoint({ ...read.checkpoint, params: [...params] }) };
      }),
    });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
