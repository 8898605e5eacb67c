/**
 * Whether the owner is away, with memory so a jittery idle counter cannot
 * flap the decision. The idle threshold is crossed once (idle >= N minutes
 * latches "away"); after that only fresh input ends it. Fresh input shows as
 * the last-input time (now - idle) moving forward: idle counters have 1 s
 * resolution and the readings arrive with some delay, so a move within the
 * tolerance is the same input seen twice, not a new one.
 */

/**
 * Idle counters have 1 s resolution, sources jitter by a second, and a
 * reading may be a few seconds old by the time it is decided on. Real input
 * moves the last-input time by at least the idle threshold (one minute or
 * more: it happens after the owner was seen away that long), so a tolerance
 * well under a minute still catches the owner's return on the first sample.
 */
export const INPUT_RETURN_TOLERANCE_MS = 5000;

export interface IdleLatch {
  /** When the last input happened, as estimated when the owner was first seen away. */
  lastInputAt: number;
  /** The threshold the latch was set under; a changed policy starts over. */
  thresholdMs: number;
}

/**
 * The latch after this reading: null means "not away" (used recently, or idle
 * unknown, which is never taken for idleness).
 */
export function updateIdleLatch(
  latch: IdleLatch | null,
  idleSeconds: number | null,
  thresholdMs: number,
  now: number,
): IdleLatch | null {
  if (idleSeconds === null) return null;
  const lastInputAt = now - idleSeconds * 1000;
  const isSameAbsence =
    latch !== null && latch.thresholdMs === thresholdMs && lastInputAt - latch.lastInputAt <= INPUT_RETURN_TOLERANCE_MS;
  if (isSameAbsence) return latch;
  return idleSeconds * 1000 >= thresholdMs ? { lastInputAt, thresholdMs } : null;
}
