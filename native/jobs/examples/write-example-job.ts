/**
 * Writes an example job as files `run-job` reads: the spec as JSON and its
 * blobs in a `blobs` folder beside it, each named by its SHA-256.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DirectoryBlobSource } from '../directory-blob-source.ts';
import type { JobSpec } from '../job-spec.ts';
import { irisTrainingJob } from './iris-jobs.ts';

export const EXAMPLE_JOBS = ['iris-training'] as const;
export type ExampleJobName = (typeof EXAMPLE_JOBS)[number];

/** Writes the example into directory and returns the spec file's path. */
export function writeExampleJob(name: ExampleJobName, directory: string, options: { steps?: number } = {}): string {
  const blobs = path.join(directory, 'blobs');
  const put = (bytes: Uint8Array) => DirectoryBlobSource.write(blobs, bytes);
  const specs: Record<ExampleJobName, () => JobSpec> = {
    'iris-training': () => irisTrainingJob(put, options),
  };
  const file = path.join(directory, `${name}.json`);
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(specs[name](), null, 2)}\n`);
  return file;
}
