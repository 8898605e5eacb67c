/**
 * What the Earnings screen says about jobs and totals in words: the totals'
 * periods (the agent sums them over the whole ledger, earnings-totals.ts) and
 * each job's payment state, and the job list kept up to date from pushes.
 */
import type { EarningsTotals, ProviderJob } from '../../../agent/local-api/contract.ts';

/** The agent's periods (the chart's ranges), in the order and words the screen shows them. */
export const EARNING_PERIODS: readonly { id: keyof EarningsTotals['credited']; label: string }[] = [
  { id: '24h', label: 'Last 24 hours' },
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: 'all', label: 'All time' },
];

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
