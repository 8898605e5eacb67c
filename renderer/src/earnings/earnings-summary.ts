/**
 * What the Earnings screen says about the jobs the agent reports: what was
 * credited in each period, what is still waiting for verification, and each
 * job's payment state in words. A job's reward counts when the network has
 * verified it, at the moment it was verified (the job's last update).
 */
import type { ProviderJob } from '../../../agent/local-api/contract.ts';

export const EARNING_PERIODS = [
  { id: 'day', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { id: 'week', label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
  { id: 'month', label: 'Last 30 days', ms: 30 * 24 * 3_600_000 },
  { id: 'all', label: 'All listed jobs', ms: null },
] as const;

export type EarningPeriodId = (typeof EARNING_PERIODS)[number]['id'];

const AWAITING: ReadonlySet<ProviderJob['state']> = new Set(['finished', 'submitted']);

export interface EarningsSummary {
  /** Verified rewards per period, token base units. */
  credited: Record<EarningPeriodId, bigint>;
  /** The most the jobs awaiting verification can still earn, token base units. */
  awaitingMax: bigint;
  awaitingCount: number;
}

export function summarizeEarnings(jobs: readonly ProviderJob[], now: number): EarningsSummary {
  const credited: Record<EarningPeriodId, bigint> = { day: 0n, week: 0n, month: 0n, all: 0n };
  let awaitingMax = 0n;
  let awaitingCount = 0;
  for (const job of jobs) {
    if (job.state === 'verified' && job.reward !== null) {
      const reward = BigInt(job.reward);
      for (const period of EARNING_PERIODS) {
        if (period.ms === null || now - job.updatedAt <= period.ms) credited[period.id] += reward;
      }
    } else if (AWAITING.has(job.state)) {
      awaitingMax += BigInt(job.maxReward);
      awaitingCount += 1;
    }
  }
  return { credited, awaitingMax, awaitingCount };
}

export const JOB_STATE_LABELS: Record<ProviderJob['state'], string> = {
  leased: 'Leased',
  running: 'Running',
  finished: 'Finished, delivering the result',
  submitted: 'Awaiting verification',
  verified: 'Verified and credited',
  rejected: 'Rejected',
  failed: 'Failed',
  released: 'Handed back',
};

/** The newest jobs pushed by the agent, merged into the list by lease, newest first. */
export function mergeJobs(current: readonly ProviderJob[], pushed: readonly ProviderJob[]): ProviderJob[] {
  const byLease = new Map(current.map((job) => [job.leaseId, job]));
  for (const job of pushed) {
    const known = byLease.get(job.leaseId);
    if (known === undefined || known.updatedAt <= job.updatedAt) byLease.set(job.leaseId, job);
  }
  return [...byLease.values()].sort((a, b) => b.leasedAt - a.leasedAt || a.leaseId.localeCompare(b.leaseId));
}
