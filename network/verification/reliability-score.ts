/**
 * A provider's reliability over its whole history: valid results raise it,
 * rejected ones lower it five times as much. A provider whose score falls low
 * after several rejections is suspended from leasing: it keeps what it earned
 * but gets no new work.
 */

export interface ResultCounts {
  valid: number;
  invalid: number;
}

export const INVALID_WEIGHT = 5;

/** In (0, 1): (valid + 1) / (valid + 5 x invalid + 2); a newcomer starts at 0.5. */
export function reliabilityScore(counts: ResultCounts): number {
  return (counts.valid + 1) / (counts.valid + INVALID_WEIGHT * counts.invalid + 2);
}

export interface SuspensionPolicy {
  /** Rejected results before suspension is considered at all. */
  minInvalid: number;
  /** Suspended while the score is below this. */
  minScore: number;
}

export const DEFAULT_SUSPENSION_POLICY: SuspensionPolicy = { minInvalid: 3, minScore: 0.3 };

export function isSuspended(counts: ResultCounts, policy: SuspensionPolicy = DEFAULT_SUSPENSION_POLICY): boolean {
  return counts.invalid >= policy.minInvalid && reliabilityScore(counts) < policy.minScore;
}
