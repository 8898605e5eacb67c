/**
 * Blobs stored as files named by their SHA-256 in one folder: how `run-job`
 * finds a job's model and data next to its spec. Reading is capped at the
 * size the job declares plus one byte, so a wrong file costs no more than that.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type BlobRef, type BlobSource, blobRefOf } from './blob-ref.ts';

const HASH = /^[0-9a-f]{64}$/;

export class DirectoryBlobSource implements BlobSource {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  size(sha256: string): number | undefined {
    if (!HASH.test(sha256)) return undefined;
    try {
      return fs.statSync(path.join(this.directory, sha256)).size;
    } catch {
      return undefined;
    }
  }

  get(sha256: string): Uint8Array | undefined {
    if (!HASH.test(sha256)) return undefined;
    try {
      return new Uint8Array(fs.readFileSync(path.join(this.directory, sha256)));
    } catch {
      return undefined;
    }
  }

  /** Stores bytes under their hash (writing example jobs and test fixtures). */
  static write(directory: string, bytes: Uint8Array): BlobRef {
    fs.mkdirSync(directory, { recursive: true });
    const ref = blobRefOf(bytes);
    fs.writeFileSync(path.join(directory, ref.sha256), bytes);
    return ref;
  }
}
