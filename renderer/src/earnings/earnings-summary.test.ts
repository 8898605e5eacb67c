import { describe, expect, it } from 'vitest';
import { EARNINGS_RANGES } from '../../../agent/earnings/earnings-series.ts';
import type { ProviderJob } from '../../../agent/local-api/contract.ts';
import { EARNING_PERIODS, mergeJobs } from './earnings-summary.ts';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 5, 10, 12);

function job(leaseId: string, overrides: Partial<ProviderJob> = {}): ProviderJob {
  return {
    leaseId,
    jobId: `job-${leaseId}`,
    kind: 'inference',
    coordinator: 'http://127.0.0.1:1',
    account: '0xa',
    maxReward: '100',
    state: 'verified',
    leasedAt: now - HOUR,
    updatedAt: now - HOUR,
    reward: '40',
    reason: null,
    ...overrides,
  };
}

describe('the totals periods', () => {
  it('label every period the agent sums, in its order', () => {
    expect(EARNING_PERIODS.map((period) => period.id)).toEqual([...EARNINGS_RANGES]);
  });
});

describe('mergeJobs', () => {
  it('adds new jobs, replaces known ones with newer news, and keeps newest first', () => {
    const current = [
      job('a', { leasedAt: 1, updatedAt: 1, state: 'running' }),
      job('b', { leasedAt: 2, updatedAt: 2 }),
    ];
    const merged = mergeJobs(current, [
      job('a', { leasedAt: 1, updatedAt: 5, state: 'submitted' }),
      job('c', { leasedAt: 3 }),
    ]);
    expect(merged.map((j) => [j.leaseId, j.state])).toEqual([
      ['c', 'verified'],
      ['b', 'verified'],
      ['a', 'submitted'],
    ]);
  });

  it('keeps a newer state when an older report arrives late', () => {
    const current = [job('a', { updatedAt: 9, state: 'verified' })];
    expect(mergeJobs(current, [job('a', { updatedAt: 3, state: 'running' })])[0]?.state).toBe('verified');
  });
});
