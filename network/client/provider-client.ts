/**
 * What the agent calls to work for the network: register with its devices,
 * lease jobs, fetch their blobs (size and hash checked before use), submit
 * results (uploading checkpoints first), and read settlements, earnings and
 * the newest voucher. Running the job is the agent's business.
 */
import { type BlobRef, blobRefOf, verifyBlob } from '../../native/jobs/blob-ref.ts';
import type { MessageSigner } from '../auth/session-delegation.ts';
import type { SessionKeyPair } from '../auth/session-keys.ts';
import { type OutputGroups, outputGroupsSha256 } from '../jobs/tensors.ts';
import type { Earnings, Voucher } from '../wire/earnings.ts';
import { NetworkError } from '../wire/errors.ts';
import type { NetworkInfo } from '../wire/info.ts';
import type { Lease, ResultSubmission, Settlement, SubmitResultResponse } from '../wire/leases.ts';
import type { ProviderProfile, SessionGrant } from '../wire/sessions.ts';
import type { CoordinatorClient, CoordinatorClientOptions } from './coordinator-client.ts';
import { openSession } from './open-session.ts';

export interface ResultToSubmit extends Omit<ResultSubmission, 'outputSha256' | 'checkpoints' | 'outputs'> {
  outputs: OutputGroups;
  /** Training: each checkpoint's step and its bytes (the worker's TrainingCheckpoint as JSON). */
  checkpoints?: { step: number; bytes: Uint8Array }[];
}

export class ProviderClient {
  readonly client: CoordinatorClient;
  readonly grant: SessionGrant;
  readonly info: NetworkInfo;
  readonly sessionKey: SessionKeyPair;

  private constructor(session: {
    client: CoordinatorClient;
    grant: SessionGrant;
    info: NetworkInfo;
    sessionKey: SessionKeyPair;
  }) {
    this.client = session.client;
    this.grant = session.grant;
    this.info = session.info;
    this.sessionKey = session.sessionKey;
  }

  /** Registers (or re-registers with new devices) and returns a client signing with a fresh session key. */
  static async register(
    options: Omit<CoordinatorClientOptions, 'credentials'> & {
      wallet: MessageSigner;
      profile: ProviderProfile;
      lifetimeMs?: number;
      sessionKey?: SessionKeyPair;
    },
  ): Promise<ProviderClient> {
    return new ProviderClient(await openSession({ ...options, role: 'provider' }));
  }

  get account(): string {
    return this.grant.account;
  }

  async lease(max = 1): Promise<{ leases: Lease[]; retryAfterMs: number }> {
    return this.client.call('leaseJobs', { body: { max } });
  }

  async renew(leaseId: string): Promise<{ leaseId: string; expiresAt: number }> {
    return this.client.call('renewLease', { params: { leaseId } });
  }

  async release(leaseId: string): Promise<void> {
    await this.client.call('releaseLease', { params: { leaseId } });
  }

  /** A blob's bytes, refused unless their size and sha256 are exactly the reference's. */
  async fetchBlob(ref: BlobRef): Promise<Uint8Array> {
    const bytes = await this.client.call('getBlob', { params: { sha256: ref.sha256 } });
    const check = verifyBlob(bytes, ref);
    if (!check.ok) throw new NetworkError('blob_hash_mismatch', `The coordinator sent a wrong blob: ${check.message}`);
    return bytes;
  }

  async putBlob(bytes: Uint8Array): Promise<BlobRef> {
    const ref = blobRefOf(bytes);
    await this.client.call('putBlob', { params: { sha256: ref.sha256 }, body: bytes });
    return ref;
  }

  /** Uploads the checkpoints, computes the output hash and submits; the same result may be sent again safely. */
  async submit(leaseId: string, result: ResultToSubmit): Promise<SubmitResultResponse> {
    const checkpoints = [];
    for (const checkpoint of result.checkpoints ?? []) {
      checkpoints.push({ step: checkpoint.step, state: await this.putBlob(checkpoint.bytes) });
    }
    return this.client.call('submitResult', {
      params: { leaseId },
      body: {
        outputs: result.outputs as ResultSubmission['outputs'],
        outputSha256: outputGroupsSha256(result.outputs),
        appVersion: result.appVersion,
        onnxruntimeVersion: result.onnxruntimeVersion,
        executionProvider: result.executionProvider,
        deviceMs: result.deviceMs,
        checkpoints,
      },
    });
  }

  /** Settlements after `after` (pass the last `next`), oldest first. */
  async settlements(after = 0, limit = 100): Promise<{ settlements: Settlement[]; next: number }> {
    return this.client.call('getSettlements', { query: { after, limit } });
  }

  async earnings(): Promise<Earnings> {
    return this.client.call('getEarnings', {});
  }

  /** The newest EIP-712 voucher for everything earned, or null before the first verified result. */
  async voucher(): Promise<Voucher | null> {
    return (await this.client.call('getVoucher', {})).voucher;
  }
}
