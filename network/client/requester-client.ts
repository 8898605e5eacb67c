/**
 * What a requester (the requester CLI, the demo requester of `npm start`)
 * calls: register, upload the blobs a job needs (only those the coordinator
 * lacks), submit the job, follow it, and read its verified result.
 */
import { type BlobRef, blobRefOf } from '../../native/jobs/blob-ref.ts';
import type { MessageSigner } from '../auth/session-delegation.ts';
import { specBlobs } from '../jobs/job-spec-view.ts';
import { NetworkError } from '../wire/errors.ts';
import type { JobStatus, SubmitJobRequest, VerifiedResult } from '../wire/jobs.ts';
import type { CoordinatorClient, CoordinatorClientOptions } from './coordinator-client.ts';
import { openSession } from './open-session.ts';

export class RequesterClient {
  readonly client: CoordinatorClient;
  readonly account: string;

  private constructor(client: CoordinatorClient, account: string) {
    this.client = client;
    this.account = account;
  }

  static async register(
    options: Omit<CoordinatorClientOptions, 'credentials'> & { wallet: MessageSigner; lifetimeMs?: number },
  ): Promise<RequesterClient> {
    const session = await openSession({ ...options, role: 'requester' });
    return new RequesterClient(session.client, session.grant.account);
  }

  /** Uploads whichever of these blobs the coordinator does not hold yet; returns their references. */
  async uploadBlobs(blobs: readonly Uint8Array[]): Promise<BlobRef[]> {
    const refs = blobs.map((bytes) => blobRefOf(bytes));
    if (refs.length === 0) return refs;
    const { missing } = await this.client.call('findMissingBlobs', {
      body: { sha256s: refs.map((ref) => ref.sha256) },
    });
    const wanted = new Set(missing);
    for (const [index, ref] of refs.entries()) {
      if (!wanted.has(ref.sha256)) continue;
      wanted.delete(ref.sha256);
      await this.client.call('putBlob', { params: { sha256: ref.sha256 }, body: blobs[index] as Uint8Array });
    }
    return refs;
  }

  /** Submits a job whose blobs are given as bytes (uploaded first) or already stored. */
  async submit(request: SubmitJobRequest, blobs: readonly Uint8Array[] = []): Promise<JobStatus> {
    await this.uploadBlobs(blobs);
    const needed = specBlobs(request.spec).map((blob) => blob.sha256);
    const { missing } =
      needed.length > 0 ? await this.client.call('findMissingBlobs', { body: { sha256s: needed } }) : { missing: [] };
    if (missing.length > 0) {
      throw new NetworkError(
        'blobs_missing',
        `Pass the bytes of these blobs the job references: ${missing.join(', ')}.`,
      );
    }
    return this.client.call('submitJob', { body: request });
  }

  async status(jobId: string): Promise<JobStatus> {
    return this.client.call('getJob', { params: { jobId } });
  }

  async result(jobId: string): Promise<VerifiedResult> {
    return this.client.call('getJobResult', { params: { jobId } });
  }

  /** Polls until the job is verified or failed, or the time is up. */
  async waitForResult(jobId: string, options: { timeoutMs: number; pollMs?: number }): Promise<VerifiedResult> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const status = await this.status(jobId);
      if (status.state === 'verified' || status.state === 'failed') return this.result(jobId);
      if (Date.now() > deadline) {
        throw new NetworkError(
          'result_not_ready',
          `Job ${jobId} is still ${status.state} after ${options.timeoutMs} ms.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    }
  }
}
