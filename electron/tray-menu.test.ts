import { describe, expect, it } from 'vitest';
import { earningsByDay } from '../agent/earnings/earnings-by-day.ts';
import { AgentStateSchema, type Status } from '../agent/local-api/contract.ts';
import { OwnerOverrideRequestSchema } from '../agent/scheduler/owner-override.ts';
import { statusFixture } from '../renderer/src/test-support/fixtures.ts';
import {
  buildTrayMenu,
  MAX_MENU_LABEL,
  shortenLabel,
  TRAY_OVERRIDE_REQUESTS,
  type TrayMenuItem,
  trayIconState,
  trayTooltip,
} from './tray-menu.ts';

const OVERRIDE_ACTIONS = [
  'pause-15m',
  'pause-1h',
  'pause-until-tomorrow',
  'pause-until-resumed',
  'finish-then-pause',
  'earn-30m',
  'earn-1h',
  'earn-2h',
];

function labels(items: TrayMenuItem[]): string[] {
  return items.map((item) => (item.kind === 'separator' ? '---' : item.label));
}

function actions(items: TrayMenuItem[]): string[] {
  return items.flatMap((item) => {
    if (item.kind === 'submenu') return item.enabled ? actions(item.items) : [];
    if (item.kind === 'item' && item.action !== undefined && item.enabled) return [item.action];
    return [];
  });
}

const ownerPause = (until: number | null): Status['override'] => ({ kind: 'pause', until, setAt: 1 });

/** 2026-03-04 10:00 in Berlin. */
const NOW = Date.UTC(2026, 2, 4, 9, 0);
/** 1.25 tHIVE credited at 09:00 Berlin time, as the agent's earnings event says it. */
const EARNINGS = earningsByDay([{ at: NOW - 3_600_000, reward: '1250000000000000000' }], NOW, 'Europe/Berlin');

describe('buildTrayMenu', () => {
  it.each(AgentStateSchema.options.filter((state) => state !== 'paused'))(
    'for %s: state, reason, pause and earn-now choices, dashboard, quit',
    (state) => {
      const menu = buildTrayMenu(statusFixture({ state, reason: `Reason for ${state}.` }), {}, NOW);
      expect(menu[0]).toMatchObject({ kind: 'item', enabled: false });
      expect(menu[1]).toEqual({ kind: 'item', label: `Reason for ${state}.`, enabled: false });
      expect(actions(menu)).toEqual([...OVERRIDE_ACTIONS, 'open-dashboard', 'quit']);
      expect(menu.filter((item) => item.kind === 'submenu')).toMatchObject([
        { label: 'Pause earning', enabled: true },
        { label: 'Earn now', enabled: true },
      ]);
    },
  );

  it('for a pause by the owner: Resume instead of the pause choices', () => {
    const menu = buildTrayMenu(
      statusFixture({
        state: 'paused',
        reason: 'Paused by you until 14:30: earning resumes by itself then.',
        override: ownerPause(Date.now() + 60_000),
      }),
      {},
      NOW,
    );
    expect(labels(menu)).toEqual([
      'Paused',
      'Paused by you until 14:30: earning resumes by itself then.',
      '---',
      'Resume earning',
      '---',
      'Open dashboard',
      'Quit Idlehive',
    ]);
    expect(actions(menu)).toEqual(['resume', 'open-dashboard', 'quit']);
  });

  it('while earning on request: back to the schedule', () => {
    const menu = buildTrayMenu(
      statusFixture({ state: 'earning', override: { kind: 'earn-now', until: Date.now() + 60_000, setAt: 1 } }),
      {},
      NOW,
    );
    expect(labels(menu)).toContain('Back to my schedule');
    expect(actions(menu)).toEqual(['resume', 'open-dashboard', 'quit']);
  });

  it('asks the agent for requests its contract accepts', () => {
    expect(Object.keys(TRAY_OVERRIDE_REQUESTS).sort()).toEqual([...OVERRIDE_ACTIONS].sort());
    for (const request of Object.values(TRAY_OVERRIDE_REQUESTS)) {
      expect(OwnerOverrideRequestSchema.safeParse(request).success).toBe(true);
    }
    expect(TRAY_OVERRIDE_REQUESTS['pause-1h']).toEqual({ kind: 'pause-for', durationSeconds: 3600 });
  });

  it('for a pause until resumed: Resume as well', () => {
    const menu = buildTrayMenu(statusFixture({ state: 'paused', override: ownerPause(null) }), {}, NOW);
    expect(actions(menu)).toContain('resume');
    expect(actions(menu)).not.toContain('pause-1h');
  });

  it('for a paused state that is not the owner’s (no override): the pause choices stay', () => {
    const menu = buildTrayMenu(statusFixture({ state: 'paused', override: null }), {}, NOW);
    expect(actions(menu)).toContain('pause-1h');
    expect(actions(menu)).not.toContain('resume');
  });

  it('before the agent answers: starting, pause disabled, dashboard and quit available', () => {
    const menu = buildTrayMenu(null, {}, NOW);
    expect(labels(menu)[0]).toBe('Starting Idlehive…');
    expect(menu.filter((item) => item.kind === 'submenu').every((item) => !item.enabled)).toBe(true);
    expect(actions(menu)).toEqual(['open-dashboard', 'quit']);
  });

  it('when the agent could not be kept running: says so with the reason', () => {
    const menu = buildTrayMenu(null, { agentProblem: 'The Idlehive agent keeps stopping.' }, NOW);
    expect(labels(menu).slice(0, 2)).toEqual(['Idlehive is not running', 'The Idlehive agent keeps stopping.']);
  });

  it.each([
    ['credited earlier today', NOW, 'Earned today: 1.25 tHIVE'],
    ['later the same Berlin day', Date.UTC(2026, 2, 4, 22, 59), 'Earned today: 1.25 tHIVE'],
    ['after Berlin midnight, nothing credited since', Date.UTC(2026, 2, 4, 23, 0), 'Earned today: 0 tHIVE'],
  ])('earnings %s: %s', (_name, now, line) => {
    const menu = buildTrayMenu(statusFixture({ state: 'earning' }), { earnings: EARNINGS }, now);
    expect(labels(menu).slice(0, 3)).toEqual(['Earning', 'Waiting: you are using the computer.', line]);
  });

  it('has no earnings line before the agent sent its earnings, also while starting', () => {
    expect(labels(buildTrayMenu(statusFixture(), {}, NOW)).some((label) => label.startsWith('Earned today'))).toBe(
      false,
    );
    expect(labels(buildTrayMenu(null, { earnings: EARNINGS }, NOW))).toContain('Earned today: 1.25 tHIVE');
  });

  it('offers to restart into a downloaded update, above the dashboard', () => {
    const menu = buildTrayMenu(statusFixture(), { updateReady: { version: '0.2.0' } }, NOW);
    expect(labels(menu).slice(-3)).toEqual(['Restart to install Idlehive 0.2.0', 'Open dashboard', 'Quit Idlehive']);
    expect(actions(menu).slice(-3)).toEqual(['install-update', 'open-dashboard', 'quit']);
    expect(actions(buildTrayMenu(statusFixture(), {}, NOW))).not.toContain('install-update');
  });

  it('keeps long reasons to one short line', () => {
    const reason = `Waiting: ${'the computer is busy with something important '.repeat(5)}`;
    const menu = buildTrayMenu(statusFixture({ reason }), {}, NOW);
    const line = labels(menu)[1] ?? '';
    expect(line.length).toBeLessThanOrEqual(MAX_MENU_LABEL);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('shortenLabel', () => {
  it('leaves short text alone, collapsing whitespace', () => {
    expect(shortenLabel('Waiting:\n  you are\tusing it.')).toBe('Waiting: you are using it.');
  });

  it('cuts at a word boundary without trailing punctuation', () => {
    expect(shortenLabel('alpha beta, gamma delta', 14)).toBe('alpha beta…');
  });

  it('cuts inside a very long word when there is no good boundary', () => {
    expect(shortenLabel('a supercalifragilistic', 10)).toBe('a superca…');
  });
});

describe('trayIconState and trayTooltip', () => {
  it.each([
    ['earning', 'earning'],
    ['benchmarking', 'earning'],
    ['waiting', 'waiting'],
    ['no-work', 'waiting'],
    ['paused', 'paused'],
    ['error', 'error'],
  ] as const)('%s shows the %s icon', (state, icon) => {
    expect(trayIconState(statusFixture({ state }))).toBe(icon);
  });

  it('shows waiting while starting and error when the agent could not run', () => {
    expect(trayIconState(null)).toBe('waiting');
    expect(trayIconState(null, { agentProblem: 'x' })).toBe('error');
  });

  it('names the state in the tooltip', () => {
    expect(trayTooltip(statusFixture({ state: 'earning' }), {}, NOW)).toBe('Idlehive: Earning');
    expect(trayTooltip(null, {}, NOW)).toBe('Idlehive: starting…');
    expect(trayTooltip(null, { agentProblem: 'x' }, NOW)).toBe('Idlehive: not running');
  });

  it('adds today’s earnings to the tooltip', () => {
    expect(trayTooltip(statusFixture({ state: 'earning' }), { earnings: EARNINGS }, NOW)).toBe(
      'Idlehive: Earning · 1.25 tHIVE today',
    );
    expect(trayTooltip(statusFixture({ state: 'waiting' }), { earnings: EARNINGS }, NOW + 86_400_000)).toBe(
      'Idlehive: Waiting · 0 tHIVE today',
    );
  });
});
