import { describe, expect, it } from 'vitest';
import type { ProviderJob } from '../../../agent/local-api/contract.ts';
import { mergeJobs, summarizeEarnings } from './earnings-summary.ts';

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

describe('summarizeEarnings', () => {
  it('counts verified rewards in every period that contains their verification', () => {
    const summary = summarizeEarnings(
      [
        job('a', { updatedAt: now - 2 * HOUR }),
        job('b', { updatedAt: now - 3 * 24 * HOUR, reward: '60' }),
        job('c', { updatedAt: now - 20 * 24 * HOUR, reward: '100' }),
        job('d', { updatedAt: now - 400 * 24 * HOUR, reward: '1' }),
      ],
      now,
    );
    expect(summary.credited).toEqual({ day: 40n, week: 100n, month: 200n, all: 201n });
  });

  it('counts nothing for rejected, failed or unfinished jobs, and sums the most awaiting jobs can earn', () => {
    const summary = summarizeEarnings(
      [
        job('r', { state: 'rejected', reward: null, reason: 'The result did not match.' }),
        job('f', { state: 'failed', reward: null }),
        job('s', { state: 'submitted', reward: null, maxReward: '70' }),
        job('n', { state: 'finished', reward: null, maxReward: '30' }),
        job('x', { state: 'running', reward: null }),
      ],
      now,
    );
    expect(summary.credited.all).toBe(0n);
    expect(summary).toMatchObject({ awaitingMax: 100n, awaitingCount: 2 });
  });

  it('handles amounts beyond a float exactly', () => {
    const big = '123456789012345678901234567890';
    expect(summarizeEarnings([job('a', { reward: big }), job('b', { reward: big })], now).credited.day).toBe(
      2n * BigInt(big),
    );
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
