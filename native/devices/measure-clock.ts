/**
 * The clock a core really runs at under load, measured, for the peak
 * estimate. What the OS reports is often not it: a VM's /proc/cpuinfo gives
 * the base clock (2.1 GHz on the EPYC VM the bench figures come from, whose
 * cores run at about 3.5 under load), bare-metal Linux gives whatever the
 * core ran at the moment it was read (an idle laptop: 800 MHz), and
 * os.cpus() gives the nominal clock on Windows and nothing usable on Apple
 * silicon. A peak estimate from a low clock is below what the GEMM reaches,
 * and a "fraction of the peak" above 1 tells the owner nothing.
 *
 * The measure: a chain of additions and XORs in which each operation needs
 * the previous one's result. Such an operation takes one cycle on every
 * current x86-64 and ARM64 core, whatever its width, so operations per
 * nanosecond are GHz. The best of many short samples is taken: other load can
 * only make a sample slower, and the first samples also give the core time to
 * reach its boost clock.
 */

/** Dependent single-cycle operations per iteration of the chain. */
const OPS_PER_ITERATION = 4;
const ITERATIONS_PER_SAMPLE = 1_000_000;
const SAMPLES = 40;
/** Calls that get the chain compiled by V8's optimizing tier before any sample counts. */
const WARMUP_CALLS = 300;
const WARMUP_ITERATIONS = 20_000;
/** Outside this range a figure is not a clock but a measuring failure (an unoptimized chain, a paused VM). */
export const PLAUSIBLE_CLOCK_MHZ = { min: 500, max: 7000 } as const;

export interface ChainSample {
  /** Dependent operations the sample executed. */
  readonly operations: number;
  readonly nanoseconds: number;
}

/** MHz from timed samples of the chain: the fastest sample's rate, or null when no sample gives a plausible clock. */
export function clockMhzFromSamples(samples: readonly ChainSample[]): number | null {
  let best: number | null = null;
  for (const { operations, nanoseconds } of samples) {
    if (!(operations > 0 && nanoseconds > 0)) continue;
    const mhz = (operations / nanoseconds) * 1000;
    if (best === null || mhz > best) best = mhz;
  }
  if (best === null || best < PLAUSIBLE_CLOCK_MHZ.min || best > PLAUSIBLE_CLOCK_MHZ.max) return null;
  return best;
}

/** Where every chain's result goes: a write no compiler may drop, so neither may it drop the chains. */
// biome-ignore lint/correctness/noUnusedVariables: written, never read, on purpose (above)
let chainSink = 0;

/** The chain itself. */
function dependentChain(iterations: number, seed: number): number {
  let x = seed | 0;
  for (let i = 0; i < iterations; i++) {
    x = (x + i) | 0;
    x ^= 0x5bd1e995;
    x = (x + 0x27d4eb2f) | 0;
    x ^= i << 1;
  }
  return x;
}

/**
 * About 60 ms of one core, in slices of about 1 ms with the event loop free
 * between them (the agent probes devices while it serves its API). Null when
 * the figure is implausible (see PLAUSIBLE_CLOCK_MHZ).
 */
export async function measureClockMhz(): Promise<number | null> {
  const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));
  for (let call = 0; call < WARMUP_CALLS; call++) {
    chainSink ^= dependentChain(WARMUP_ITERATIONS, call);
    if (call % 50 === 49) await yieldToEventLoop();
  }
  const samples: ChainSample[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) {
    const started = process.hrtime.bigint();
    chainSink ^= dependentChain(ITERATIONS_PER_SAMPLE, sample);
    samples.push({
      operations: ITERATIONS_PER_SAMPLE * OPS_PER_ITERATION,
      nanoseconds: Number(process.hrtime.bigint() - started),
    });
    await yieldToEventLoop();
  }
  return clockMhzFromSamples(samples);
}
