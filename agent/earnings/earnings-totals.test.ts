import { describe, expect, it } from 'vitest';
import { EARNINGS_TOTAL_PERIODS, EarningsTotalsSchema, totalEarnings } from './earnings-totals.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.UTC(2026, 10, 30, 12);

describe('earnings totals', () => {
  it('sums each verified reward into every period that contains the moment it was verified', () => {
    const totals = totalEarnings({
      credits: [
        { at: now - 400 * DAY, reward: '1' },
        { at: now - 30 * DAY, reward: '10' }, // the month's first instant: included
        { at: now - 30 * DAY - 1, reward: '100' }, // one ms older: all time only
        { at: now - 7 * DAY, reward: '1000' },
        { at: now - DAY, reward: '10000' },
        { at: now - HOUR, reward: '100000' },
        { at: now, reward: '1000000' },
      ],
      awaitingMaxRewards: [],
      now,
    });
    expect(totals.credited).toEqual({ day: '1110000', week: '1111000', month: '1111010', all: '1111111' });
    expect(totals.verifiedJobs).toEqual({ day: 3, week: 4, month: 5, all: 7 });
    expect(EarningsTotalsSchema.parse(totals)).toEqual(totals);
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
    });
    expect(totals.credited.all).toBe('246913578024691357802469135780');
  });

  it('counts the results awaiting verification and the most they can earn', () => {
    const totals = totalEarnings({ credits: [], awaitingMaxRewards: ['2000000000000000000', '500'], now });
    expect(totals.awaiting).toEqual({ jobs: 2, maxReward: '2000000000000000500' });
    expect(totals.credited).toEqual({ day: '0', week: '0', month: '0', all: '0' });
  });

  it('counts a credit stamped after now (a clock set back) in every period', () => {
    const totals = totalEarnings({ credits: [{ at: now + HOUR, reward: '5' }], awaitingMaxRewards: [], now });
    expect(totals.credited).toEqual({ day: '5', week: '5', month: '5', all: '5' });
  });

  it('has the periods the screen labels, all time last', () => {
    expect(Object.keys(EARNINGS_TOTAL_PERIODS)).toEqual(['day', 'week', 'month', 'all']);
  });
});
