/**
 * What this computer was credited over the last 24 hours, 7 days, 30 days
 * and all time, and what the results still awaiting verification can earn:
 * the Earnings screen's totals, over the whole ledger (the jobs list shows
 * only the newest jobs, so totals summed from it would stop counting the
 * older ones). A job's reward counts at the moment the network verified it.
 * Pure, with the clock passed in; the agent's handler reads the ledger.
 */
import { z } from 'zod';
import type { VerifiedReward } from './earnings-series.ts';
import { TokenAmountSchema } from './token-amount-schema.ts';

/** Rolling periods ending now; null: since the first job. */
export const EARNINGS_TOTAL_PERIODS = {
  day: 24 * 3_600_000,
  week: 7 * 24 * 3_600_000,
  month: 30 * 24 * 3_600_000,
  all: null,
} as const;

export type EarningsTotalPeriod = keyof typeof EARNINGS_TOTAL_PERIODS;

const perPeriod = z.strictObject({
  day: TokenAmountSchema,
  week: TokenAmountSchema,
  month: TokenAmountSchema,
  all: TokenAmountSchema,
} satisfies Record<EarningsTotalPeriod, z.ZodType>);

export const EarningsTotalsSchema = z.strictObject({
  /** The moment the periods end. */
  now: z.number().int().nonnegative(),
  /** Verified rewards per period. */
  credited: perPeriod,
  /** Verified jobs per period. */
  verifiedJobs: z.strictObject({
    day: z.number().int().nonnegative(),
    week: z.number().int().nonnegative(),
    month: z.number().int().nonnegative(),
    all: z.number().int().nonnegative(),
  } satisfies Record<EarningsTotalPeriod, z.ZodType>),
  /** Results delivered or being delivered, not verified yet: how many, and the most they can still earn. */
  awaiting: z.strictObject({ jobs: z.number().int().nonnegative(), maxReward: TokenAmountSchema }),
});
export type EarningsTotals = z.infer<typeof EarningsTotalsSchema>;

export function totalEarnings(input: {
  credits: readonly VerifiedReward[];
  /** Each result awaiting verification's most possible reward (token base units, decimal). */
  awaitingMaxRewards: readonly string[];
  now: number;
}): EarningsTotals {
  const periods = Object.entries(EARNINGS_TOTAL_PERIODS) as [EarningsTotalPeriod, number | null][];
  const credited: Record<EarningsTotalPeriod, bigint> = { day: 0n, week: 0n, month: 0n, all: 0n };
  const verifiedJobs: Record<EarningsTotalPeriod, number> = { day: 0, week: 0, month: 0, all: 0 };
  for (const { at, reward } of input.credits) {
    const amount = BigInt(reward);
    for (const [period, ms] of periods) {
      // A credit stamped after `now` (a clock set back) counts in every period rather than in none.
      if (ms === null || input.now - at <= ms) {
        credited[period] += amount;
        verifiedJobs[period] += 1;
      }
    }
  }
  const awaitingMax = input.awaitingMaxRewards.reduce((sum, reward) => sum + BigInt(reward), 0n);
  return {
    now: input.now,
    credited: {
      day: credited.day.toString(),
      week: credited.week.toString(),
      month: credited.month.toString(),
      all: credited.all.toString(),
    },
    verifiedJobs,
    awaiting: { jobs: input.awaitingMaxRewards.length, maxReward: awaitingMax.toString() },
  };
}
