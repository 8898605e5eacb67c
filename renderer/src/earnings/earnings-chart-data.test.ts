import { describe, expect, it } from 'vitest';
import { bucketEarnings } from '../../../agent/earnings/earnings-series.ts';
import type { EarningsSeries } from '../../../agent/local-api/contract.ts';
import { bucketLabel, earningsChartView, tokensForPlot } from './earnings-chart-data.ts';

const TOKEN = 10n ** 18n;
const NOW = Date.UTC(2026, 2, 18, 14, 25);

const series = (range: EarningsSeries['range'], rewards: { at: number; reward: string }[], timeZone = 'UTC') =>
  bucketEarnings({ range, rewards, now: NOW, timeZone });

describe('earningsChartView', () => {
  it('explains an empty range instead of drawing zeros', () => {
    const week = earningsChartView(series('7d', []));
    expect(week.isEmpty).toBe(true);
    expect(week.summary).toContain('Nothing was credited over the last 7 days');
    expect(earningsChartView(series('all', [])).summary).toMatch(/^Nothing has been credited to this computer yet/);
  });

  it('describes the total and the best bucket with exact amounts, and has one row per bucket', () => {
    const view = earningsChartView(
      series('7d', [
        { at: NOW - 3_600_000, reward: String(3n * TOKEN + TOKEN / 2n) },
        { at: NOW - 2 * 86_400_000, reward: String(TOKEN) },
        { at: NOW - 2 * 86_400_000 + 1, reward: String(TOKEN) },
      ]),
    );
    expect(view.isEmpty).toBe(false);
    expect(view.summary).toBe(
      'Bar chart of tHIVE credited per day over the last 7 days: 5.5 tHIVE from 3 jobs. Most in one day: 3.5 tHIVE (Wed 18 Mar).',
    );
    expect(view.rows).toHaveLength(7);
    expect(view.rows.at(-1)).toMatchObject({ label: 'Wed 18 Mar', amount: '3.5 tHIVE', jobs: 1 });
    expect(view.rows.at(-3)).toMatchObject({ label: 'Mon 16 Mar', amount: '2 tHIVE', jobs: 2 });
    expect(view.heights.at(-1)).toBe(3.5);
  });

  it('labels hours, days, weeks and months in the owner’s zone', () => {
    const hours = series('24h', [], 'Asia/Kolkata');
    expect(bucketLabel(hours.buckets.at(-1) ?? { start: 0, end: 0, amount: '0', jobs: 0 }, hours)).toBe('19:00');
    const day = { start: Date.UTC(2026, 2, 17, 23), end: 0, amount: '0', jobs: 0 };
    expect(bucketLabel(day, { bucketSize: 'day', timeZone: 'Europe/Berlin' })).toBe('Wed 18 Mar');
    expect(bucketLabel(day, { bucketSize: 'week', timeZone: 'UTC' })).toBe('Week of 17 Mar 2026');
    expect(bucketLabel(day, { bucketSize: 'month', timeZone: 'UTC' })).toBe('Mar 2026');
  });

  it('turns base units into tokens for bar heights without overflowing', () => {
    expect(tokensForPlot('0')).toBe(0);
    expect(tokensForPlot(String(TOKEN / 4n))).toBe(0.25);
    expect(tokensForPlot(String(10n ** 30n))).toBe(1e12);
  });
});
