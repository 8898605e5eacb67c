/**
 * What this computer was credited over the last 24 hours, 7 days, 30 days
 * and all time, and what the results still awaiting verification can earn:
 * the Earnings screen's totals, over the whole ledger (the jobs list shows
 * only the newest jobs, so totals summed from it would stop counting the
 * older ones). Each period starts where the Earnings chart's range of the
 * same name starts (earliestRewardShown: the first of its local hours or
 * days in the owner's zone), so the totals and the chart never disagree. A
 * job's reward counts at the moment the network verified it. Pure, with the
 * clock and the zone passed in; the agent's handler reads the ledger.
 */
import { z } from 'zod';
import { EARNINGS_RANGES, type EarningsRange, earliestRewardShown, type VerifiedReward } from './earnings-series.ts';
import { TokenAmountSchema } from './token-amount-schema.ts';

const perRange = <T extends z.ZodType>(value: T) =>
  z.strictObject({ '24h': value, '7d': value, '30d': value, all: value } satisfies Record<EarningsRange, T>);

export const EarningsTotalsSchema = z.strictObject({
  /** The moment the periods end. */
  now: z.number().int().nonnegative(),
  /** The zone the periods' first hour or day follows (the scheduling policy's). */
  timeZone: z.string().min(1),
  /** Verified rewards per period. */
  credited: perRange(TokenAmountSchema),
  /** Verified jobs per period. */
  verifiedJobs: perRange(z.number().int().nonnegative()),
  /** Results delivered or being delivered, not verified yet: how many, and the most they can still earn. */
  awaiting: z.strictObject({ jobs: z.number().int().nonnegative(), maxReward: TokenAmountSchema }),
});
export type EarningsTotals = z.infer<typeof EarningsTotalsSchema>;

export function totalEarnings(input: {
  credits: readonly VerifiedReward[];
  /** Each result awaiting verification's most possible reward (token base units, decimal). */
  awaitingMaxRewards: readonly string[];
  now: number;
  timeZone: string;
}): EarningsTotals {
  const starts = EARNINGS_RANGES.map(
    (range) => [range, earliestRewardShown(range, input.now, input.timeZone)] as const,
  );
  const credited: Record<EarningsRange, bigint> = { '24h': 0n, '7d': 0n, '30d': 0n, all: 0n };
  const verifiedJobs: Record<EarningsRange, number> = { '24h': 0, '7d': 0, '30d': 0, all: 0 };
  for (const { at, reward } of input.credits) {
    const amount = BigInt(reward);
    for (const [range, start] of starts) {
      if (start === null || at >= start) {
        credited[range] += amount;
        verifiedJobs[range] += 1;
      }
    }
  }
  const awaitingMax = input.awaitingMaxRewards.reduce((sum, reward) => sum + BigInt(reward), 0n);
  return {
    now: input.now,
    timeZone: input.timeZone,
    credited: {
      '24h': credited['24h'].toString(),
      '7d': credited['7d'].toString(),
      '30d': credited['30d'].toString(),
      all: credited.all.toString(),
    },
    verifiedJobs,
    awaiting: { jobs: input.awaitingMaxRewards.length, maxReward: awaitingMax.toString() },
  };
}
