/**
 * When the agent should ask `decide` again if no signal changes first. Two
 * sampling rules bound it: while earning on a computer with a keyboard and
 * mouse, idle must be sampled at least every 250 ms (the owner's return has
 * to stop the job at once); in every other state no more often than every
 * 2 s (an agent that polls fast while doing nothing wastes the owner's
 * battery). Within those bounds it wakes exactly at the next thing that can
 * change the decision: an override's expiry, a schedule edge, the idle
 * threshold, the end of a wait after an excluded app or a CPU-busy run.
 */

export const EARNING_IDLE_SAMPLE_MS = 250;
export const WAITING_MIN_INTERVAL_MS = 2000;
/** With nothing scheduled, still look again this often: process lists, temperatures and CPU load change unannounced. */
export const LONGEST_WAIT_MS = 10_000;

export type CheckCadence =
  /** Earning where the owner can come back: at most 250 ms. */
  | 'watch-input'
  /** Earning where nobody can come back (headless): at the next event. */
  | 'earning'
  /** Anything else: at the next event, but at least 2 s from now. */
  | 'waiting';

export function nextCheckAt(now: number, cadence: CheckCadence, events: readonly (number | null)[]): number {
  let soonest = now + LONGEST_WAIT_MS;
  for (const event of events) {
    if (event !== null && event > now && event < soonest) soonest = event;
  }
  // Whole milliseconds, because events computed from idle seconds can be fractional.
  soonest = Math.ceil(soonest);
  if (cadence === 'watch-input') return Math.min(soonest, now + EARNING_IDLE_SAMPLE_MS);
  if (cadence === 'waiting') return Math.max(soonest, now + WAITING_MIN_INTERVAL_MS);
  return soonest;
}
