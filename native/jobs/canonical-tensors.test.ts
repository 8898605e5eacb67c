import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTensorDigest, canonicalTensorDigester } from './canonical-tensors.ts';
import type { TensorBytes } from './tensor-bytes.ts';

const tensor = (name: string, dims: number[], bytes: number[]) => ({
  name,
  dtype: 'uint8' as const,
  dims,
  data: Uint8Array.from(bytes),
});

describe('canonical tensor digest', () => {
  it('is the SHA-256 of the documented layout', () => {
    const u32 = (value: number) => Buffer.from(Uint32Array.of(value).buffer);
    const u64 = (value: number) => Buffer.from(BigUint64Array.of(BigInt(value)).buffer);
    const expected = createHash('sha256')
      .update('idlehive.tensors.v1\n')
      .update(u32(1))
      .update(u32(1))
      .update(u32(1))
      .update('y')
      .update(u32(5))
      .update('uint8')
      .update(u32(1))
      .update(u64(3))
      .update(u64(3))
      .update(Uint8Array.of(7, 8, 9))
      .digest('hex');
    expect(canonicalTensorDigest([[tensor('y', [3], [7, 8, 9])]])).toBe(expected);
  });

  it('gives the same digest group by group as all at once (a job hashes its runs as they arrive)', () => {
    const groupArb = fc.array(
      fc
        .record({ name: fc.string({ minLength: 1, maxLength: 8 }), bytes: fc.array(fc.integer({ min: 0, max: 255 })) })
        .map(({ name, bytes }) => tensor(name, [bytes.length], bytes)),
      { maxLength: 3 },
    );
    fc.assert(
      fc.property(fc.array(groupArb, { maxLength: 6 }), (groups: TensorBytes[][]) => {
        const digester = canonicalTensorDigester(groups.length);
        for (const group of groups) digester.addGroup(group);
        expect(digester.finish()).toBe(canonicalTensorDigest(groups));
      }),
    );
  });

  it('refuses to finish with fewer groups than it announced', () => {
    const digester = canonicalTensorDigester(2);
    digester.addGroup([tensor('y', [1], [1])]);
    expect(() => digester.finish()).toThrow(/1 groups digested of the 2 announced/);
  });
});
