/**
 * Content-addressed blobs: stored under the sha256 of their bytes (checked),
 * read only by whoever has a reason to: the uploader, a provider holding a
 * lease that needs the blob, or the requester of a job that references it.
 * Anyone else is told the blob is not found, so existence does not leak.
 */
import { sha256Hex } from '../../auth/canonical-request.ts';
import type { Role } from '../../wire/common.ts';
import { NetworkError } from '../../wire/errors.ts';
import type { CoordinatorContext } from '../coordinator-context.ts';

export function storeBlob(ctx: CoordinatorContext, account: string, sha256: string, bytes: Buffer) {
  const actual = sha256Hex(bytes);
  if (actual !== sha256) {
    throw new NetworkError(
      'blob_hash_mismatch',
      `The uploaded bytes hash to ${actual}, not ${sha256}; upload a blob under the sha256 of its exact bytes.`,
    );
  }
  const created = ctx.store.putBlob(sha256, bytes, account, ctx.now());
  return { sha256, bytes: bytes.length, created };
}

export function readBlob(ctx: CoordinatorContext, caller: { account: string; role: Role }, sha256: string): Buffer {
  const { store } = ctx;
  const allowed =
    store.blobOwner(sha256) === caller.account ||
    (caller.role === 'provider' &&
      store.activeLeasesOf(caller.account).some((lease) => lease.blobs.some((blob) => blob.sha256 === sha256))) ||
    (caller.role === 'requester' && store.requesterCanRead(sha256, caller.account));
  const bytes = allowed ? store.getBlob(sha256) : undefined;
  if (!bytes) {
    throw new NetworkError(
      'blob_not_found',
      `Blob ${sha256} is not available to ${caller.account}: it is read by its uploader, by providers leasing a job that needs it, and by the requester of such a job.`,
    );
  }
  return bytes;
}
