/**
 * What the Earnings chart shows for the agent's series, in words and numbers:
 * the range choices, a label per bucket in the owner's zone, the bar heights
 * in tHIVE, the sentence that describes the chart to a screen reader (and
 * under it for everyone), and the rows of its table alternative. Pure, so
 * the chart component only draws.
 */
import type { EarningsBucket, EarningsRange, EarningsSeries } from '../../../agent/local-api/contract.ts';
import { formatTokenAmount } from '../../../network/payment/token-amount.ts';

export const TOKEN_SYMBOL = 'tHIVE';
const TOKEN_DECIMALS = 18;

export const EARNINGS_RANGE_CHOICES: readonly { id: EarningsRange; label: string; span: string }[] = [
  { id: '24h', label: '24 h', span: 'the last 24 hours' },
  { id: '7d', label: '7 days', span: 'the last 7 days' },
  { id: '30d', label: '30 days', span: 'the last 30 days' },
  { id: 'all', label: 'All time', span: 'all time' },
];

const BUCKET_WORDS = { hour: 'hour', day: 'day', week: 'week', month: 'month' } as const;

function spanOf(range: EarningsRange): string {
  return EARNINGS_RANGE_CHOICES.find((choice) => choice.id === range)?.span ?? range;
}

/** A bucket's name as the axis and the table show it, in the series' zone. */
export function bucketLabel(bucket: EarningsBucket, series: Pick<EarningsSeries, 'bucketSize' | 'timeZone'>): string {
  const zone = series.timeZone;
  switch (series.bucketSize) {
    case 'hour':
      return new Intl.DateTimeFormat('en-GB', {
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone: zone,
      }).format(bucket.start);
    case 'day':
      return new Intl.DateTimeFormat('en-GB', {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        timeZone: zone,
      }).format(bucket.start);
    case 'week':
      return `Week of ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: zone }).format(bucket.start)}`;
    case 'month':
      return new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: zone }).format(bucket.start);
  }
}

/** Base units to whole tokens as a float: bar heights only; every figure shown in words uses the exact amount. */
export function tokensForPlot(baseUnits: string): number {
  const value = BigInt(baseUnits);
  const micro = value / 10n ** BigInt(TOKEN_DECIMALS - 6);
  return Number(micro) / 1e6;
}

export function amountText(baseUnits: string): string {
  return `${formatTokenAmount(baseUnits, TOKEN_DECIMALS)} ${TOKEN_SYMBOL}`;
}

function jobsText(count: number): string {
  return `${count} ${count === 1 ? 'job' : 'jobs'}`;
}

export interface EarningsChartView {
  /** No reward in the range: the chart is replaced by this sentence. */
  isEmpty: boolean;
  /** One or two sentences: what the chart shows, its total and its best bucket (or why it is empty). */
  summary: string;
  labels: string[];
  /** Bar heights in tokens, one per bucket. */
  heights: number[];
  rows: { label: string; amount: string; jobs: number; start: number }[];
}

export function earningsChartView(series: EarningsSeries): EarningsChartView {
  const span = spanOf(series.range);
  const labels = series.buckets.map((bucket) => bucketLabel(bucket, series));
  const rows = series.buckets.map((bucket, index) => ({
    label: labels[index] ?? '',
    amount: amountText(bucket.amount),
    jobs: bucket.jobs,
    start: bucket.start,
  }));
  if (series.jobs === 0) {
    return {
      isEmpty: true,
      summary:
        series.range === 'all'
          ? 'Nothing has been credited to this computer yet. Each job the network verifies adds its reward here, at the time it was verified.'
          : `Nothing was credited over ${span}. Each job the network verifies adds its reward here; jobs waiting for verification appear in the list below first.`,
      labels,
      heights: series.buckets.map(() => 0),
      rows,
    };
  }
  let best = series.buckets[0];
  let bestIndex = 0;
  series.buckets.forEach((bucket, index) => {
    if (best === undefined || BigInt(bucket.amount) > BigInt(best.amount)) {
      best = bucket;
      bestIndex = index;
    }
  });
  const per = BUCKET_WORDS[series.bucketSize];
  const summary =
    `Bar chart of tHIVE credited per ${per} over ${span}: ${amountText(series.total)} from ${jobsText(series.jobs)}.` +
    (best === undefined ? '' : ` Most in one ${per}: ${amountText(best.amount)} (${labels[bestIndex]}).`);
  return {
    isEmpty: false,
    summary,
    labels,
    heights: series.buckets.map((bucket) => tokensForPlot(bucket.amount)),
    rows,
  };
}
