import { describe, expect, it } from 'vitest';
import type { BenchmarkReport } from '../../../agent/local-api/contract.ts';
import { defaultSchedulerPolicy } from '../../../agent/scheduler/policy.ts';
import { INITIAL_DASHBOARD_STATE, reduceDashboard } from '../store/dashboard-reducer.ts';
import { settingsFixture } from '../test-support/fixtures.ts';
import { answersMatch, phraseWords, pickConfirmPositions } from './confirm-words.ts';
import { estimateEarnings, scheduledHoursPerWeek } from './earnings-estimate.ts';

describe('confirm words', () => {
  it('picks two different positions inside the phrase, ascending, for any random source', () => {
    for (const r of [0, 0.2, 0.5, 0.99, 0.999999]) {
      const [a, b] = pickConfirmPositions(12, () => r);
      expect(a).toBeLessThan(b);
      expect(a).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(12);
    }
  });

  it('accepts the right words in any case and refuses wrong or missing ones', () => {
    const words = phraseWords(' alpha beta  gamma delta ');
    expect(answersMatch(words, [1, 3], [' Beta', 'delta '])).toBe(true);
    expect(answersMatch(words, [1, 3], ['beta', 'gamma'])).toBe(false);
    expect(answersMatch(words, [1, 3], ['beta'])).toBe(false);
  });
});

describe('earnings estimate', () => {
  const policy = defaultSchedulerPolicy('UTC');
  const report = (score: number | null): BenchmarkReport => ({
    mode: 'quick',
    startedAt: 1,
    finishedAt: 2,
    appVersion: '0.1.0',
    onnxruntimeVersion: '1.22.0',
    devices: [{ device: 'cpu', name: 'CPU', executionProvider: 'cpu', threads: 2, workloads: [], score }],
  });

  it('counts the schedule’s hours, windows past midnight included', () => {
    expect(scheduledHoursPerWeek(policy)).toBeNull();
    const scheduled = {
      ...policy,
      schedule: {
        enabled: true,
        windows: [
          { days: ['mon', 'tue'], startMinute: 1320, endMinute: 420 },
          { days: ['sat'], startMinute: 0, endMinute: 1440 },
        ],
      },
    } as typeof policy;
    expect(scheduledHoursPerWeek(scheduled)).toBe(9 * 2 + 24);
  });

  it('uses the score and the schedule, and never shows an amount without the network’s prices', () => {
    const estimate = estimateEarnings(report(123.4), policy);
    expect(estimate.cpuScore).toBe(123.4);
    expect(estimate.sentences.join(' ')).toContain('scored 123');
    expect(estimate.sentences.join(' ')).toContain(`${policy.idleMinutes} minutes`);
    expect(estimate.sentences.join(' ')).toMatch(/No amount is shown/);
    expect(estimate.sentences.join(' ')).not.toMatch(/tHIVE|\$/);
    expect(estimateEarnings(null, null).sentences[0]).toMatch(/Run the benchmark/);
    expect(estimateEarnings(report(null), policy).sentences[0]).toMatch(/steady score/);
  });
});

describe('first run in the store', () => {
  const missing = { wallet: null, readiness: 'missing' as const, withdrawals: [] };
  const present = {
    wallet: { address: '0x1', mode: 'keystore' as const, keychain: false },
    readiness: 'ready' as const,
    withdrawals: [],
  };
  const settings = (firstRun: 'pending' | 'skipped' | 'finished') => ({
    type: 'settings-received' as const,
    settings: settingsFixture({ firstRun }),
  });

  it('starts when the agent has no wallet and the steps are pending, and stays until ended, even after the wallet exists', () => {
    const waiting = reduceDashboard(INITIAL_DASHBOARD_STATE, { type: 'wallet-received', wallet: missing });
    // Not decided before the settings say whether the owner skipped it earlier.
    expect(waiting.firstRun).toBe('unknown');
    const active = reduceDashboard(waiting, settings('pending'));
    expect(active.firstRun).toBe('active');
    expect(reduceDashboard(active, { type: 'wallet-received', wallet: present }).firstRun).toBe('active');
    const skipped = reduceDashboard(active, { type: 'first-run-ended' });
    expect(skipped.firstRun).toBe('done');
    // The Wallet screen opens it again for an owner who skipped it.
    expect(reduceDashboard(skipped, { type: 'first-run-opened' }).firstRun).toBe('active');
  });

  it('stays closed when the agent remembers a skip or a finish, or has a wallet, in either order of answers', () => {
    for (const firstRun of ['skipped', 'finished'] as const) {
      const settingsFirst = reduceDashboard(INITIAL_DASHBOARD_STATE, settings(firstRun));
      expect(settingsFirst.firstRun).toBe('unknown');
      expect(reduceDashboard(settingsFirst, { type: 'wallet-received', wallet: missing }).firstRun).toBe('done');
    }
    const withWallet = reduceDashboard(INITIAL_DASHBOARD_STATE, { type: 'wallet-received', wallet: present });
    expect(reduceDashboard(withWallet, settings('pending')).firstRun).toBe('done');
  });

  it('is decided once: a later settings push does not reopen or close it', () => {
    const active = [{ type: 'wallet-received' as const, wallet: missing }, settings('pending')].reduce(
      reduceDashboard,
      INITIAL_DASHBOARD_STATE,
    );
    expect(reduceDashboard(active, settings('pending')).firstRun).toBe('active');
    const done = reduceDashboard(active, { type: 'first-run-ended' });
    expect(reduceDashboard(done, settings('pending')).firstRun).toBe('done');
  });
});
