/**
 * The canonical byte form of a list of tensor groups, and its SHA-256: the
 * digest a result carries so verifiers compare outputs of replicated jobs
 * (and a checkpoint detects a torn write) without agreeing on JSON spelling.
 *
 * Layout, all integers little-endian:
 *   "idlehive.tensors.v1\n"
 *   u32 groupCount, then per group: u32 tensorCount, then per tensor:
 *     u32 nameBytes, name (UTF-8), u32 dtypeBytes, dtype (ASCII),
 *     u32 rank, rank x u64 dims, u64 dataBytes, data
 */
import { createHash } from 'node:crypto';
import type { TensorBytes } from './tensor-bytes.ts';

const MAGIC = new TextEncoder().encode('idlehive.tensors.v1\n');

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}

function u64(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value), true);
  return bytes;
}

function withLength(text: string): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  return [u32(bytes.length), bytes];
}

/** SHA-256 (hex) of the canonical bytes of the groups, in order. Streams; never concatenates the data. */
export function canonicalTensorDigest(groups: readonly (readonly TensorBytes[])[]): string {
  const digest = canonicalTensorDigester(groups.length);
  for (const group of groups) digest.addGroup(group);
  return digest.finish();
}

/**
 * The same digest, group by group as they come (a job's runs), so no group
 * has to be kept for it. The group count comes first in the layout, so it is
 * given up front; finishing with a different count is a bug and throws.
 */
export function canonicalTensorDigester(groupCount: number): {
  addGroup(group: readonly TensorBytes[]): void;
  finish(): string;
} {
  const hash = createHash('sha256');
  hash.update(MAGIC);
  hash.update(u32(groupCount));
  let added = 0;
  return {
    addGroup(group) {
      added++;
      hash.update(u32(group.length));
      for (const tensor of group) {
        for (const part of withLength(tensor.name)) hash.update(part);
        for (const part of withLength(tensor.dtype)) hash.update(part);
        hash.update(u32(tensor.dims.length));
        for (const dim of tensor.dims) hash.update(u64(dim));
        hash.update(u64(tensor.data.length));
        hash.update(tensor.data);
      }
    },
    finish() {
      if (added !== groupCount) throw new RangeError(`${added} groups digested of the ${groupCount} announced`);
      return hash.digest('hex');
    },
  };
}
