import { describe, expect, it } from 'vitest';
import { bucketEarnings, EARNINGS_RANGES } from './earnings-series.ts';
import { EarningsTotalsSchema, totalEarnings } from './earnings-totals.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 12:30 in UTC, so the current hour began 30 minutes ago and today 12.5 hours ago. */
const now = Date.UTC(2026, 10, 30, 12, 30);

describe('earnings totals', () => {
  it('sums each verified reward into every period whose first local hour or day it falls in', () => {
    const totals = totalEarnings({
      credits: [
        { at: now - 400 * DAY, reward: '1' },
        { at: Date.UTC(2026, 10, 1), reward: '10' }, // the first of the 30 local days: included
        { at: Date.UTC(2026, 10, 1) - 1, reward: '100' }, // one ms before it: all time only
        { at: Date.UTC(2026, 10, 24), reward: '1000' }, // the first of the 7 local days
        { at: Date.UTC(2026, 10, 29, 13), reward: '10000' }, // the first of the 24 local hours
        { at: now - HOUR, reward: '100000' },
        { at: now, reward: '1000000' },
      ],
      awaitingMaxRewards: [],
      now,
      timeZone: 'UTC',
    });
    expect(totals.credited).toEqual({ '24h': '1110000', '7d': '1111000', '30d': '1111010', all: '1111111' });
    expect(totals.verifiedJobs).toEqual({ '24h': 3, '7d': 4, '30d': 5, all: 7 });
    expect(EarningsTotalsSchema.parse(totals)).toEqual(totals);
  });

  it('agrees with the chart of the same range, in any zone', () => {
    const credits = Array.from({ length: 200 }, (_, i) => ({ at: now - i * 5 * HOUR - 17_000, reward: `${i + 1}` }));
    for (const timeZone of ['UTC', 'Pacific/Kiritimati', 'America/St_Johns', 'Asia/Kathmandu']) {
      const totals = totalEarnings({ credits, awaitingMaxRewards: [], now, timeZone });
      for (const range of EARNINGS_RANGES) {
        const series = bucketEarnings({ range, rewards: credits, now, timeZone });
        expect([timeZone, range, totals.credited[range], totals.verifiedJobs[range]]).toEqual([
          timeZone,
          range,
          series.total,
          series.jobs,
        ]);
      }
    }
  });

  it('adds 18-decimal amounts exactly, beyond what a double or SQLite integer holds', () => {
    const reward = '123456789012345678901234567890';
    const totals = totalEarnings({
      credits: [
        { at: now, reward },
        { at: now, reward },
      ],
      awaitingMaxRewards: [],
      now,
      timeZone: 'UTC',
    });
    expect(totals.credited.all).toBe('246913578024691357802469135780');
  });

  it('counts the results awaiting verification and the most they can earn', () => {
    const totals = totalEarnings({
      credits: [],
      awaitingMaxRewards: ['2000000000000000000', '500'],
      now,
      timeZone: 'UTC',
    });
    expect(totals.awaiting).toEqual({ jobs: 2, maxReward: '2000000000000000500' });
    expect(totals.credited).toEqual({ '24h': '0', '7d': '0', '30d': '0', all: '0' });
  });

  it('counts a credit stamped after now (a clock set back) in every period rather than in none', () => {
    const totals = totalEarnings({
      credits: [{ at: now + 2 * HOUR, reward: '5' }],
      awaitingMaxRewards: [],
      now,
      timeZone: 'UTC',
    });
    expect(totals.credited).toEqual({ '24h': '5', '7d': '5', '30d': '5', all: '5' });
  });
});
