/**
 * A small seeded PRNG (mulberry32) so generated weights, data splits and
 * shuffles are identical on every run and every machine: training results are
 * verified by replaying them elsewhere, which only works if nothing is random.
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** An integer in [0, bound). */
  below(bound: number): number;
  /** A random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): number[];
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (bound: number): number => Math.floor(next() * bound);
  return {
    next,
    below,
    normal() {
      // 1 - next() is in (0, 1], so the logarithm is finite.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    permutation(n) {
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = below(i + 1);
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      return order;
    },
  };
}

/** count normal samples scaled by scale, as float32. */
export function normalArray(random: SeededRandom, count: number, scale: number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = random.normal() * scale;
  return values;
}
