/**
 * The presentational components rendered to HTML in Node: what they show for
 * each input, and the test hooks the browser tests rely on.
 */
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { earningsByDay } from '../../../agent/earnings/earnings-by-day.ts';
import { bucketEarnings } from '../../../agent/earnings/earnings-series.ts';
import { totalEarnings } from '../../../agent/earnings/earnings-totals.ts';
import { AgentStateSchema } from '../../../agent/local-api/contract.ts';
import { EarningsScreen } from '../screens/EarningsScreen.tsx';
import { WalletScreen } from '../screens/WalletScreen.tsx';
import { settingsFixture, statusFixture } from '../test-support/fixtures.ts';
import { AppNav } from './AppNav.tsx';
import { ConnectionBanner, FRESH_LINK_HINT_AFTER } from './ConnectionBanner.tsx';
import { ConnectionIndicator } from './ConnectionIndicator.tsx';
import { EarningsAtAGlance } from './EarningsAtAGlance.tsx';
import { OverrideControls } from './OverrideControls.tsx';
import { RunningJob } from './RunningJob.tsx';
import { StatePill } from './StatePill.tsx';
import { StatusPanel } from './StatusPanel.tsx';
import { STATE_LABELS } from './state-presentation.ts';
import { ThemeSwitch } from './ThemeSwitch.tsx';
import { TodayTimeline } from './TodayTimeline.tsx';
import { UnauthorizedScreen } from './UnauthorizedScreen.tsx';

const html = (element: ReactElement) => renderToStaticMarkup(element);
const testHook = (markup: string, id: string) =>
  new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(markup)?.[1] ?? null;
const noop = () => {};
const now = Date.now();

describe('StatePill', () => {
  it.each(AgentStateSchema.options)(
    'shows %s as colour class, icon and words, with the raw value as test hook',
    (state) => {
      const markup = html(<StatePill state={state} />);
      expect(testHook(markup, 'agent-state')).toBe(state);
      expect(markup).toContain(`state-pill--${state}`);
      expect(markup).toContain('<svg');
      expect(markup).toContain(STATE_LABELS[state]);
    },
  );
});

describe('StatusPanel', () => {
  it('shows the reason verbatim', () => {
    const reason = 'Waiting: you are using the computer <and> "typing".';
    const markup = html(<StatusPanel status={statusFixture({ reason })} connection="connected" now={now} />);
    expect(testHook(markup, 'agent-reason')).toBe(
      'Waiting: you are using the computer &lt;and&gt; &quot;typing&quot;.',
    );
  });

  it('shows when a timed pause ends', () => {
    const until = now + 60 * 60_000;
    const status = statusFixture({ state: 'paused', override: { kind: 'pause', until, setAt: now } });
    const markup = html(<StatusPanel status={status} connection="connected" now={now} />);
    expect(markup).toContain('Paused until');
    expect(markup).toContain(`dateTime="${new Date(until).toISOString()}"`);
  });

  it('says "until you resume" for an open-ended pause', () => {
    const status = statusFixture({ state: 'paused', override: { kind: 'pause', until: null, setAt: now } });
    expect(testHook(html(<StatusPanel status={status} connection="connected" now={now} />), 'override-until')).toBe(
      'you resume',
    );
  });

  it('has no pause line without a pause', () => {
    expect(html(<StatusPanel status={statusFixture()} connection="connected" now={now} />)).not.toContain(
      'Paused until',
    );
  });

  it('dims the last status while reconnecting and says it is waiting before the first one', () => {
    expect(html(<StatusPanel status={statusFixture()} connection="reconnecting" now={now} />)).toContain(
      'status-card--stale',
    );
    expect(html(<StatusPanel status={null} connection="connecting" now={now} />)).toContain(
      'Connecting to the Idlehive agent…',
    );
  });
});

describe('OverrideControls', () => {
  const base = {
    connection: 'connected' as const,
    pendingAction: null,
    actionError: null,
    onOverride: noop,
    onResume: noop,
  };
  const allChoices = [
    'pause-15m',
    'pause-1h',
    'pause-until-tomorrow',
    'pause-until-resumed',
    'earn-30m',
    'earn-1h',
    'earn-2h',
    'finish-then-pause',
  ];

  it('offers every pause, earn-now and finish choice, and no Resume without an override', () => {
    const markup = html(<OverrideControls {...base} status={statusFixture({ state: 'earning' })} />);
    for (const id of allChoices) expect(markup).toContain(`data-testid="${id}"`);
    for (const label of ['15 minutes', '1 hour', 'Until tomorrow', 'Until I resume', '30 minutes', '2 hours']) {
      expect(markup).toContain(label);
    }
    expect(markup).not.toContain('data-testid="resume"');
    expect(markup).not.toContain('disabled');
  });

  it.each([
    ['pause', 'Resume earning', 'Earning is paused'],
    ['earn-now', 'Back to my schedule', 'Earning on your request'],
    ['finish-then-pause', 'Keep earning', 'Pausing after this job'],
  ] as const)('offers Resume while a %s override is in force', (kind, resume, heading) => {
    const override =
      kind === 'finish-then-pause' ? { kind, until: null, setAt: now } : { kind, until: now + 60_000, setAt: now };
    const markup = html(<OverrideControls {...base} status={statusFixture({ state: 'paused', override })} />);
    expect(markup).toContain('data-testid="resume"');
    expect(markup).toContain(resume);
    expect(markup).toContain(heading);
  });

  it('disables the buttons while disconnected or while a request runs', () => {
    const status = statusFixture();
    expect(html(<OverrideControls {...base} status={status} connection="reconnecting" />)).toContain('disabled');
    const busy = html(<OverrideControls {...base} status={status} pendingAction="earn-1h" />);
    expect(busy).toContain('Starting…');
    expect(busy).toContain('aria-busy="true"');
  });

  it('announces a failed request', () => {
    const markup = html(<OverrideControls {...base} status={statusFixture()} actionError="The agent said no." />);
    expect(markup).toContain('role="alert"');
    expect(markup).toContain('The agent said no.');
  });
});

describe('TodayTimeline', () => {
  const dayStartMs = Date.UTC(2026, 2, 3);
  const timeline = {
    dayStartMs,
    dayEndMs: dayStartMs + 86_400_000,
    entries: [
      {
        at: dayStartMs - 3_600_000,
        state: 'waiting' as const,
        cause: 'owner-active' as const,
        reason: 'Waiting: you.',
      },
      { at: dayStartMs + 6 * 3_600_000, state: 'earning' as const, cause: 'idle' as const, reason: 'Earning: idle.' },
    ],
  };

  it('says it is loading before the timeline arrives', () => {
    expect(html(<TodayTimeline timeline={null} now={now} timeZone="UTC" />)).toContain('Loading today’s timeline');
  });

  it('draws each period in the bar and lists them newest first with their reasons', () => {
    const markup = html(<TodayTimeline timeline={timeline} now={dayStartMs + 8 * 3_600_000} timeZone="UTC" />);
    expect(markup.match(/day-bar__period--/g)).toHaveLength(4); // two bar segments, two list swatches
    expect(markup).toContain('Today so far: waiting 6 h, earning 2 h.');
    const list = markup.slice(markup.indexOf('data-testid="timeline-list"'));
    expect(list.indexOf('Earning: idle.')).toBeLessThan(list.indexOf('Waiting: you.'));
    expect(list.indexOf('Earning: idle.')).toBeGreaterThan(0);
    expect(markup).toContain('06:00');
    expect(markup).toContain('role="img"');
  });

  it('explains an empty day', () => {
    const empty = { ...timeline, entries: [] };
    expect(html(<TodayTimeline timeline={empty} now={dayStartMs + 1000} timeZone="UTC" />)).toContain(
      'Nothing recorded yet today.',
    );
  });
});

describe('RunningJob', () => {
  const job = {
    jobId: 'job-1',
    kind: 'inference' as const,
    startedAt: now - 5 * 60_000,
    phase: 'running' as const,
    done: 30,
    total: 120,
    maxReward: '1500000000000000000',
  };

  it('shows nothing without a job', () => {
    expect(html(<RunningJob job={null} now={now} />)).toBe('');
  });

  it('shows the kind, phase, progress and the most it can earn in tHIVE', () => {
    const markup = html(<RunningJob job={job} now={now} />);
    expect(markup).toContain('Inference job');
    expect(markup).toContain('Running · started 5 min ago');
    expect(testHook(markup, 'job-progress')).toBe('30 of 120 runs (25 %)');
    expect(markup).toMatch(/<progress[^>]*value="30"[^>]*max="120"/);
    expect(markup).toContain('1.5 tHIVE');
  });

  it('says it waits for progress before the worker reports, and names training steps', () => {
    const starting = html(
      <RunningJob job={{ ...job, kind: 'training', phase: 'loading', done: 0, total: 0 }} now={now} />,
    );
    expect(starting).toContain('Training job');
    expect(starting).toContain('Loading the model');
    expect(starting).not.toContain('<progress');
    expect(testHook(starting, 'job-progress')).toBe('Waiting for the first progress report…');
    const training = html(<RunningJob job={{ ...job, kind: 'training', done: 3, total: 10 }} now={now} />);
    expect(testHook(training, 'job-progress')).toBe('3 of 10 steps (30 %)');
  });
});

describe('WalletScreen', () => {
  const base = {
    unlockedAddress: null,
    balance: null,
    balanceProblem: null,
    plan: null,
    canAct: true,
    pendingAction: null,
    actionError: null,
    onUnlock: noop,
    onPlan: noop,
    onCancelPlan: noop,
    onWithdraw: noop,
    onSpeedUp: noop,
    onSetUp: noop,
  };
  const wallet = {
    wallet: { address: '0x1234567890abcdef1234567890abcdef12345678', mode: 'keystore' as const, keychain: false },
    readiness: 'ready' as const,
    withdrawals: [],
  };

  it('explains how to create or import a wallet when there is none', () => {
    const markup = html(<WalletScreen {...base} wallet={{ wallet: null, readiness: 'missing', withdrawals: [] }} />);
    expect(markup).toContain('No wallet yet');
    expect(markup).toContain('<code>idlehive wallet create</code>');
    expect(markup).toContain('Set up a wallet');
  });

  it('shows the address, asks for the password while locked, and says why balances are unknown', () => {
    const markup = html(
      <WalletScreen {...base} wallet={{ ...wallet, readiness: 'locked' }} balanceProblem="The chain did not answer." />,
    );
    expect(markup).toContain(wallet.wallet.address);
    expect(markup).toContain('Unlock to earn');
    expect(markup).toContain('type="password"');
    expect(markup).toContain('The chain did not answer.');
    const unlocked = html(
      <WalletScreen {...base} wallet={{ ...wallet, readiness: 'locked' }} unlockedAddress={wallet.wallet.address} />,
    );
    expect(unlocked).not.toContain('Unlock to earn');
  });

  it('shows balances in tHIVE, unknown where the chain did not say', () => {
    const balance = {
      address: wallet.wallet.address,
      token: '0xt',
      walletTokens: '2500000000000000000',
      claimable: null,
      withdrawing: '0',
      lifetimeEarned: '2500000000000000000',
      pendingResults: 3,
      nativeGas: '1',
      unavailable: 'The vault did not answer.',
    };
    const markup = html(<WalletScreen {...base} wallet={wallet} balance={balance} />);
    expect(markup).toContain('2.5 tHIVE');
    expect(markup).toContain('unknown');
    expect(markup).toContain('The vault did not answer.');
    expect(markup).not.toContain('Unlock to earn');
  });

  it('shows the plan with its fee before the withdraw button, and the withdrawals with their transactions', () => {
    const plan = {
      kind: 'claim' as const,
      recipient: '0xabc',
      amount: '1000000000000000000',
      maxGasCost: '21000000000000',
      relayFee: null,
      received: '1000000000000000000',
      warnings: ['Gas prices are high right now.'],
    };
    const withdrawal = {
      id: 1,
      state: 'confirmed' as const,
      kind: 'claim' as const,
      account: '0xabc',
      recipient: '0xabc',
      amount: '1000000000000000000',
      relayFee: null,
      txHash: '0xfeed',
      nonce: 0,
      sends: 1,
      blockNumber: 42,
      paidAmount: '1000000000000000000',
      paidFee: '1',
      waitingReason: null,
      failure: null,
      createdAt: 1,
      updatedAt: 2,
    };
    const markup = html(<WalletScreen {...base} wallet={{ ...wallet, withdrawals: [withdrawal] }} plan={plan} />);
    expect(markup).toContain('Network fee at most');
    expect(markup).toContain('Withdraw 1 tHIVE');
    expect(markup).toContain('Gas prices are high right now.');
    expect(markup).toContain('Confirmed');
    expect(markup).toContain('0xfeed');
    // A confirmed withdrawal has nothing to speed up.
    expect(markup).not.toContain('Speed up');
    expect(markup).toContain('in block 42');
  });

  it('shows a withdrawal replaced with a higher fee, and the automatic raise before confirming', () => {
    const plan = {
      kind: 'claim' as const,
      recipient: '0xabc',
      amount: '1000000000000000000',
      maxGasCost: '21000000000000',
      maxGasCostWithSpeedUps: '84000000000000',
      relayFee: null,
      received: '1000000000000000000',
      warnings: [],
    };
    const fees = { maxFeePerGas: '3000000000', maxPriorityFeePerGas: '1000000000', signedAt: 1 };
    const withdrawal = {
      id: 2,
      state: 'sent' as const,
      kind: 'claim' as const,
      account: '0xabc',
      recipient: '0xabc',
      amount: '1000000000000000000',
      relayFee: null,
      txHash: '0xbumped',
      nonce: 3,
      sends: 2,
      blockNumber: null,
      paidAmount: null,
      paidFee: null,
      waitingReason: 'Replaced with a higher fee (up to 3.375 gwei per gas). Sent; waiting to be included in a block.',
      failure: null,
      createdAt: 1,
      updatedAt: 2,
      speedUps: 1,
      transactions: [
        { ...fees, txHash: '0xfirst', outcome: 'replaced' as const },
        { ...fees, txHash: '0xbumped', outcome: 'pending' as const },
      ],
    };
    const markup = html(<WalletScreen {...base} wallet={{ ...wallet, withdrawals: [withdrawal] }} plan={plan} />);
    expect(markup).toContain('the fee is raised automatically, up to 0.000084 (native coin)');
    expect(markup).toContain('Replaced with a higher fee once');
    expect(markup).toContain('replaced <code class="address">0xfirst</code>');
    expect(markup).toContain('0xbumped');
    expect(markup).toContain('Speed up (higher fee)');
  });

  it('offers no withdrawal for a watch-only wallet', () => {
    const watching = { ...wallet, wallet: { ...wallet.wallet, mode: 'watch-only' as const } };
    const markup = html(<WalletScreen {...base} wallet={watching} />);
    expect(markup).not.toContain('Review withdrawal');
    expect(markup).toContain('cannot withdraw');
  });
});

describe('EarningsScreen', () => {
  const noTotals = totalEarnings({ credits: [], awaitingMaxRewards: [], now, timeZone: 'UTC' });
  const chartProps = {
    chartRange: '7d' as const,
    series: null,
    seriesProblem: null,
    onChartRange: () => {},
    totals: noTotals,
    totalsProblem: null,
  };

  it('offers the four ranges as pressed buttons and explains an empty range in words', () => {
    const empty = bucketEarnings({ range: '7d', rewards: [], now, timeZone: 'UTC' });
    const markup = html(<EarningsScreen jobs={[]} now={now} jobsShown={1000} {...chartProps} series={empty} />);
    expect(markup).toContain('<legend class="visually-hidden">Time range</legend>');
    expect(markup).toMatch(/aria-pressed="true" data-testid="earnings-range-7d"/);
    expect(markup).toMatch(/aria-pressed="false" data-testid="earnings-range-24h"/);
    expect(markup).toContain('Nothing was credited over the last 7 days.');
    expect(markup).not.toContain('data-testid="earnings-chart"');
  });

  it('describes a chart with rewards for screen readers, with a table of every bucket', () => {
    const series = bucketEarnings({
      range: '24h',
      rewards: [{ at: now - 60_000, reward: '2500000000000000000' }],
      now,
      timeZone: 'UTC',
    });
    const markup = html(
      <EarningsScreen jobs={[]} now={now} jobsShown={1000} {...chartProps} chartRange="24h" series={series} />,
    );
    expect(markup).toMatch(
      /role="img" aria-label="Bar chart of tHIVE credited per hour over the last 24 hours: 2.5 tHIVE from 1 job\./,
    );
    expect(markup).toContain('Show the figures as a table');
    expect((markup.match(/<tr>/g) ?? []).length).toBeGreaterThanOrEqual(25);
  });

  it('shows the agent’s sentence when the series could not be read', () => {
    const markup = html(
      <EarningsScreen jobs={null} now={now} jobsShown={1000} {...chartProps} seriesProblem="The ledger is busy." />,
    );
    expect(markup).toContain('The ledger is busy.');
  });

  const job = {
    leaseId: 'l1',
    jobId: 'j1',
    kind: 'training' as const,
    coordinator: 'http://127.0.0.1:1',
    account: '0xa',
    maxReward: '2000000000000000000',
    state: 'rejected' as const,
    leasedAt: now - 60_000,
    updatedAt: now - 30_000,
    reward: null,
    reason: 'The checkpoint did not match a re-run.',
  };

  it('explains an empty list', () => {
    const markup = html(<EarningsScreen jobs={[]} now={now} jobsShown={1000} {...chartProps} />);
    expect(markup).toContain('No jobs yet.');
    expect(markup).toContain('0 tHIVE');
  });

  it('lists each job with its payment state, the reason it earned nothing, and its reward', () => {
    const verified = {
      ...job,
      leaseId: 'l2',
      kind: 'inference' as const,
      state: 'verified' as const,
      reward: '500000000000000000',
      reason: null,
    };
    const markup = html(<EarningsScreen jobs={[verified, job]} now={now} jobsShown={1000} {...chartProps} />);
    expect(markup).toContain('Rejected');
    expect(markup).toContain('The checkpoint did not match a re-run.');
    expect(markup).toContain('Verified and credited');
    expect(markup).toContain('0.5 tHIVE');
    expect(markup).toContain('up to 2 tHIVE');
  });

  it('shows the agent’s totals over the whole ledger, and says the list holds only the newest jobs when it is full', () => {
    const totals = totalEarnings({
      credits: [
        { at: now - 60 * 60_000, reward: '1500000000000000000' },
        { at: now - 3 * 24 * 3_600_000, reward: '250000000000000000' },
        { at: now - 90 * 24 * 3_600_000, reward: '4000000000000000000' },
      ],
      awaitingMaxRewards: ['2000000000000000000'],
      now,
      timeZone: 'UTC',
    });
    const markup = html(<EarningsScreen jobs={[job]} now={now} jobsShown={1} {...chartProps} totals={totals} />);
    expect(markup).toMatch(/Last 24 hours<\/dt><dd>1\.5 tHIVE/);
    expect(markup).toMatch(/Last 7 days<\/dt><dd>1\.75 tHIVE/);
    expect(markup).toMatch(/Last 30 days<\/dt><dd>1\.75 tHIVE/);
    expect(markup).toMatch(/All time<\/dt><dd>5\.75 tHIVE/);
    expect(markup).toContain('1 result is waiting for verification and can earn up to 2 tHIVE.');
    expect(markup).toContain('The newest 1 jobs; the totals above count every job.');
  });

  it('says it is adding up until the totals come, and the agent’s sentence when they cannot', () => {
    expect(html(<EarningsScreen jobs={[]} now={now} jobsShown={1000} {...chartProps} totals={null} />)).toContain(
      'Adding up your earnings…',
    );
    const failed = html(
      <EarningsScreen
        jobs={[]}
        now={now}
        jobsShown={1000}
        {...chartProps}
        totals={null}
        totalsProblem="The ledger is busy."
      />,
    );
    expect(failed).toContain('The totals could not be read: The ledger is busy.');
    expect(failed).not.toContain('data-testid="earnings-totals"');
  });
});

describe('AppNav', () => {
  it('links every screen and marks the current one', () => {
    const markup = html(<AppNav route="schedule" />);
    expect(markup).toContain('href="#/schedule"');
    expect(markup).toContain('href="#/settings"');
    expect(markup).toContain('href="#/"');
    expect(markup).toMatch(/aria-current="page"[^>]*data-testid="nav-schedule"/);
    expect(markup.match(/aria-current/g)).toHaveLength(1);
  });
});

describe('ConnectionBanner', () => {
  it('shows only while reconnecting', () => {
    expect(html(<ConnectionBanner connection="connected" failedAttempts={0} isDesktop={false} />)).toBe('');
    expect(html(<ConnectionBanner connection="connecting" failedAttempts={3} isDesktop={false} />)).toBe('');
    expect(html(<ConnectionBanner connection="reconnecting" failedAttempts={1} isDesktop={false} />)).toContain(
      'Reconnecting to the Idlehive agent…',
    );
  });

  it('suggests a fresh link in the browser after repeated failures, never in the desktop app', () => {
    const many = FRESH_LINK_HINT_AFTER;
    expect(
      html(<ConnectionBanner connection="reconnecting" failedAttempts={many - 1} isDesktop={false} />),
    ).not.toContain('idlehive dashboard');
    expect(html(<ConnectionBanner connection="reconnecting" failedAttempts={many} isDesktop={false} />)).toContain(
      'idlehive dashboard',
    );
    expect(html(<ConnectionBanner connection="reconnecting" failedAttempts={many} isDesktop />)).not.toContain(
      'idlehive dashboard',
    );
  });
});

describe('ConnectionIndicator', () => {
  it.each(['connecting', 'connected', 'reconnecting', 'unauthorized'] as const)(
    'exposes %s as its test hook',
    (state) => {
      expect(testHook(html(<ConnectionIndicator connection={state} />), 'connection-state')).toBe(state);
    },
  );
});

describe('UnauthorizedScreen', () => {
  it('tells how to open the dashboard, for a missing and for a refused token', () => {
    const missing = html(<UnauthorizedScreen reason="missing-token" />);
    const refused = html(<UnauthorizedScreen reason="rejected-token" />);
    for (const markup of [missing, refused]) {
      expect(markup).toContain('<code>idlehive dashboard</code>');
      expect(markup).toContain('<h1');
    }
    expect(testHook(refused, 'connection-state')).toBe('unauthorized');
    expect(missing).toContain('without its key');
    expect(refused).toContain('new key each time it starts');
  });
});

describe('ThemeSwitch', () => {
  it('checks the current theme and labels every choice', () => {
    const markup = html(
      <ThemeSwitch theme={settingsFixture({ theme: 'dark' }).theme} disabled={false} onChange={noop} />,
    );
    expect(markup).toContain('<legend');
    expect(markup).toMatch(/checked="" value="dark"/);
    expect(markup).not.toMatch(/checked="" value="(light|system)"/);
  });
});

describe('EarningsAtAGlance', () => {
  const token = 10n ** 18n;

  it('says it is loading until the agent pushed its earnings', () => {
    const markup = html(<EarningsAtAGlance earnings={null} timeline={null} now={now} />);
    expect(markup).toContain('aria-busy="true"');
    expect(markup).toContain('Loading your earnings');
  });

  it('shows today, the last 7 days and no made-up rate before an hour of earning is known', () => {
    const earnings = earningsByDay(
      [
        { at: now - 60_000, reward: String(2n * token) },
        { at: now - 3 * 24 * 3_600_000, reward: String(3n * token) },
      ],
      now,
      'UTC',
    );
    const markup = html(<EarningsAtAGlance earnings={earnings} timeline={null} now={now} />);
    expect(testHook(markup, 'earned-today')).toBe('2 tHIVE');
    expect(testHook(markup, 'earned-week')).toBe('5 tHIVE');
    expect(testHook(markup, 'earning-rate')).toBe('Not yet known');
    expect(markup).toContain('No earning yet today.');
  });
});
