import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RingSpace, TENSOR_RING_BYTES, TensorRefSchema } from './tensor-ring.ts';

describe('ring space', () => {
  it('hands out aligned space in order and refuses what is not yet released', () => {
    const ring = new RingSpace(1024);
    expect(ring.take(100)).toBe(0);
    expect(ring.take(100)).toBe(104);
    expect(ring.used).toBe(208);
    // 256 is a quarter of the ring: the largest a tensor may be.
    expect(ring.take(257)).toBeNull();
    expect(ring.fits(257)).toBe(false);
    expect(ring.take(256)).toBe(208);
    expect(ring.take(256)).toBe(464);
    expect(ring.take(256)).toBe(720);
    // Full: the next one would start over at 0, where the first tensors are still unread.
    expect(ring.take(256)).toBeNull();
    expect(ring.release(208)).toBe(true);
    expect(ring.take(256)).toBeNull();
    expect(ring.release(464)).toBe(true);
    expect(ring.take(256)).toBe(0);
  });

  it('never lets a tensor straddle the end: the rest of the lap is skipped', () => {
    const ring = new RingSpace(1024);
    for (let i = 0; i < 3; i++) ring.take(248);
    expect(ring.head).toBe(744);
    ring.release(744);
    // 280 bytes are left before the end: a 256-byte tensor fits there; the next starts over at 0.
    expect(ring.take(256)).toBe(744);
    expect(ring.take(200)).toBe(0);
    expect(ring.head).toBe(1024 + 200);
  });

  it('refuses a release past what was written or behind what was released', () => {
    const ring = new RingSpace(1024);
    ring.take(64);
    expect(ring.release(65)).toBe(false);
    expect(ring.release(64)).toBe(true);
    expect(ring.release(32)).toBe(false);
    expect(ring.release(Number.NaN)).toBe(false);
  });

  it('keeps every live tensor inside the ring and apart from every other live tensor', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ bytes: fc.integer({ min: 0, max: 300 }), readerKeepsUp: fc.boolean() }), {
          maxLength: 200,
        }),
        (steps) => {
          const ring = new RingSpace(1024);
          /** Taken and not yet released, oldest first: where each lies and the position that frees it. */
          const live: { offset: number; bytes: number; end: number }[] = [];
          for (const step of steps) {
            if (step.readerKeepsUp && live.length > 0) {
              expect(ring.release((live.shift() as { end: number }).end)).toBe(true);
            }
            const before = ring.head;
            const offset = ring.take(step.bytes);
            if (offset === null) {
              expect(ring.head).toBe(before);
              continue;
            }
            expect(offset % 8).toBe(0);
            expect(offset + step.bytes).toBeLessThanOrEqual(1024);
            for (const other of live) {
              const overlaps = offset < other.offset + other.bytes && other.offset < offset + step.bytes;
              expect(overlaps).toBe(false);
            }
            live.push({ offset, bytes: step.bytes, end: ring.head });
            expect(ring.used).toBeLessThanOrEqual(1024);
          }
        },
      ),
    );
  });
});

describe('tensor references', () => {
  it('refuses references outside the ring or whose length does not match their dtype and dims', () => {
    const ref = (offset: number, byteLength: number, dims: number[]) =>
      TensorRefSchema.safeParse({ dtype: 'float32', dims, ring: { offset, byteLength } }).success;
    expect(ref(0, 16, [4])).toBe(true);
    expect(ref(0, 12, [4])).toBe(false);
    expect(ref(TENSOR_RING_BYTES - 8, 16, [4])).toBe(false);
    expect(ref(-8, 16, [4])).toBe(false);
  });
});
