/**
 * Content-addressed blobs: a job names each blob by the SHA-256 of its bytes
 * and its length, and nothing uses a blob's bytes before both are checked.
 * The length is compared first, so a wrong-sized blob costs no hashing.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Rejection, reject } from '../onnx/validation-rules.ts';

/** Blobs above this size are refused by the schema (a model or a data shard). */
export const MAX_BLOB_BYTES = 1024 * 1024 * 1024;

export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');

export const BlobRefSchema = z.strictObject({
  sha256: Sha256HexSchema,
  bytes: z.int().min(0).max(MAX_BLOB_BYTES),
});
export type BlobRef = z.infer<typeof BlobRefSchema>;

export const BLOB_RULES = ['blob.missing', 'blob.size_mismatch', 'blob.hash_mismatch'] as const;
export type BlobRule = (typeof BLOB_RULES)[number];

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function blobRefOf(bytes: Uint8Array): BlobRef {
  return { sha256: sha256Hex(bytes), bytes: bytes.length };
}

export type BlobCheck = { readonly ok: true } | Rejection<BlobRule>;

/** Checks that bytes are exactly the blob the ref names. */
export function verifyBlob(bytes: Uint8Array, ref: BlobRef, what = 'blob'): BlobCheck {
  if (bytes.length !== ref.bytes) {
    return reject('blob.size_mismatch', `the ${what} is ${bytes.length} bytes; the job says ${ref.bytes}.`);
  }
  const actual = sha256Hex(bytes);
  if (actual !== ref.sha256) {
    return reject('blob.hash_mismatch', `the ${what} has SHA-256 ${actual}; the job says ${ref.sha256}.`);
  }
  return { ok: true };
}

/** Where a job's blobs come from: the agent's store, a fetch cache, or memory in tests. */
export interface BlobSource {
  get(sha256: string): Uint8Array | undefined;
  /** The blob's size without reading it, where the source can tell; checked before get(). */
  size?(sha256: string): number | undefined;
}

/** The blob's bytes, verified against its ref, or why they cannot be used. */
export function readVerifiedBlob(source: BlobSource, ref: BlobRef, what = 'blob'): Uint8Array | Rejection<BlobRule> {
  const size = source.size?.(ref.sha256);
  if (size !== undefined && size !== ref.bytes) {
    return reject('blob.size_mismatch', `the ${what} is ${size} bytes; the job says ${ref.bytes}.`);
  }
  const bytes = source.get(ref.sha256);
  if (bytes === undefined) return reject('blob.missing', `the ${what} ${ref.sha256} is not available.`);
  const checked = verifyBlob(bytes, ref, what);
  return checked.ok ? bytes : checked;
}

/** An in-memory blob source keyed by hash (tests, run-job with local files). */
export class MemoryBlobStore implements BlobSource {
  readonly #blobs = new Map<string, Uint8Array>();

  put(bytes: Uint8Array): BlobRef {
    const ref = blobRefOf(bytes);
    this.#blobs.set(ref.sha256, bytes);
    return ref;
  }

  /** Stores bytes under a hash that need not match them: for tests of verification itself. */
  putUnverified(sha256: string, bytes: Uint8Array): void {
    this.#blobs.set(sha256, bytes);
  }

  get(sha256: string): Uint8Array | undefined {
    return this.#blobs.get(sha256);
  }
}
