import fs from 'node:fs';
import { afterEach } from 'vitest';
import { openTensorRingFile, type TensorRingFile } from '../../native/worker/tensor-ring-file.ts';

export interface TensorRingFiles {
  input: TensorRingFile;
  output: TensorRingFile;
}

/**
 * A factory of input and output tensor ring files (null where this machine
 * has no rings); every descriptor opened during a test is closed after it.
 * Call at a test file's top level.
 */
export function tempTensorRings(): () => TensorRingFiles | null {
  const opened: number[] = [];
  afterEach(() => {
    for (const fd of opened.splice(0)) fs.closeSync(fd);
  });
  const open = () => {
    const ring = openTensorRingFile();
    if (ring !== null) opened.push(ring.readWrite, ring.readOnly);
    return ring;
  };
  return () => {
    const input = open();
    const output = open();
    return input === null || output === null ? null : { input, output };
  };
}
