/**
 * "Earned today" end to end: verified jobs in a real ledger, a real agent
 * process, its local API. The agent answers earnings.days and pushes the
 * earnings event when the schedule's time zone changes, and a
 * reader's today (creditedToday, what the tray shows) counts the job verified
 * minutes ago and not the one verified days ago nor the rejected one.
 * earnings.totals sums the whole ledger, older jobs and awaiting results too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditedToday, type EarningsByDay, localDate } from '../../agent/earnings/earnings-by-day.ts';
import { homeLayout } from '../../agent/home.ts';
import { openLedger } from '../../agent/ledger/open-ledger.ts';
import { ProviderJobsRepository } from '../../agent/ledger/provider-jobs-repository.ts';
import { connectLocalApi, type LocalApiConnection } from '../../agent/local-api/client.ts';
import { type AgentProcess, makeTempHome, startAgentProcess, waitFor } from '../support/agent-process.ts';

const MINUTE = 60_000;
const TODAY_REWARD = 1_500_000_000_000_000_000n;

let agent: AgentProcess;
let api: LocalApiConnection;
let startedAt: number;

/** Four settled jobs and one awaiting verification, written the way the provider loop writes them, before the agent starts. */
function seedLedger(home: string, now: number): void {
  const db = openLedger(homeLayout(home).ledgerFile);
  let clock = now;
  const jobs = new ProviderJobsRepository(db, () => clock);
  const lease = (leaseId: string, at: number) => {
    clock = at;
    jobs.recordLease({
      leaseId,
      jobId: `job-${leaseId}`,
      kind: 'inference',
      coordinator: 'http://127.0.0.1:9',
      account: '0x1111111111111111111111111111111111111111',
      maxReward: '2000000000000000000',
    });
  };
  const settle = (leaseId: string, at: number, outcome: 'valid' | 'invalid', reward: string | null) => {
    lease(leaseId, at);
    jobs.settle(leaseId, outcome, reward, outcome === 'valid' ? null : 'The result did not match.');
  };
  settle('today', now - 2 * MINUTE, 'valid', TODAY_REWARD.toString());
  settle('rejected', now - MINUTE, 'invalid', null);
  settle('three-days-ago', now - 3 * 24 * 60 * MINUTE, 'valid', '250000000000000000');
  settle('forty-five-days-ago', now - 45 * 24 * 60 * MINUTE, 'valid', '40000000000000000');
  lease('awaiting', now - 3 * MINUTE);
  jobs.storeResult('awaiting', '{"outputs":[]}');
  db.close();
}

beforeAll(async () => {
  const home = makeTempHome('idlehive-earnings-');
  startedAt = Date.now();
  seedLedger(home, startedAt);
  agent = await startAgentProcess(home);
  api = await connectLocalApi({ url: agent.endpoint.apiUrl, token: agent.endpoint.token });
}, 30_000);

afterAll(async () => {
  api?.close();
  await agent?.stop();
});

describe('earnings.days', () => {
  it('counts the job verified today, in the schedule’s zone, over the last seven days', async () => {
    await api.call('scheduler.policy.set', { patch: { timeZone: 'UTC' } });
    const view = await api.call('earnings.days', {});
    expect(view.timeZone).toBe('UTC');
    expect(view.days).toHaveLength(7);
    expect(view.days.at(-1)?.date).toBe(localDate(view.asOf, 'UTC'));
    const total = view.days.reduce((sum, day) => sum + BigInt(day.credited), 0n);
    expect(total).toBe(TODAY_REWARD + 250_000_000_000_000_000n);
    expect(view.days.reduce((sum, day) => sum + day.jobs, 0)).toBe(2);
    // Seeded two minutes before the agent started: today, unless a UTC midnight fell in between.
    if (localDate(startedAt - 2 * MINUTE, 'UTC') === localDate(view.asOf, 'UTC')) {
      expect(creditedToday(view, view.asOf)).toBe(TODAY_REWARD);
    }
  });

  it('is pushed again when the schedule’s time zone changes', async () => {
    const pushed: EarningsByDay[] = [];
    const off = api.on('earnings', (view) => pushed.push(view));
    await api.call('scheduler.policy.set', { patch: { timeZone: 'Pacific/Kiritimati' } });
    const view = await waitFor(
      () => pushed.find((entry) => entry.timeZone === 'Pacific/Kiritimati'),
      5000,
      'an earnings event in the new zone',
    );
    off();
    expect(view.days.at(-1)?.date).toBe(localDate(view.asOf, 'Pacific/Kiritimati'));
  });
});

describe('earnings.totals', () => {
  it('sums every verified job in the ledger per period, and what the awaiting result can still earn', async () => {
    await api.call('scheduler.policy.set', { patch: { timeZone: 'UTC' } });
    const totals = await api.call('earnings.totals', {});
    expect(totals.timeZone).toBe('UTC');
    expect(totals.credited).toEqual({
      '24h': TODAY_REWARD.toString(),
      '7d': (TODAY_REWARD + 250_000_000_000_000_000n).toString(),
      '30d': (TODAY_REWARD + 250_000_000_000_000_000n).toString(),
      all: (TODAY_REWARD + 250_000_000_000_000_000n + 40_000_000_000_000_000n).toString(),
    });
    expect(totals.verifiedJobs).toEqual({ '24h': 1, '7d': 2, '30d': 2, all: 3 });
    expect(totals.awaiting).toEqual({ jobs: 1, maxReward: '2000000000000000000' });
    expect(totals.now).toBeGreaterThanOrEqual(startedAt);
  });
});
