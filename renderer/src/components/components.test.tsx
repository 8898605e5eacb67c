/**
 * The presentational components rendered to HTML in Node: what they show for
 * each input, and the test hooks the browser tests rely on.
 */
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AgentStateSchema } from '../../../agent/local-api/contract.ts';
import { settingsFixture, statusFixture } from '../test-support/fixtures.ts';
import { ConnectionBanner, FRESH_LINK_HINT_AFTER } from './ConnectionBanner.tsx';
import { ConnectionIndicator } from './ConnectionIndicator.tsx';
import { PauseControls } from './PauseControls.tsx';
import { StatePill } from './StatePill.tsx';
import { StatusPanel } from './StatusPanel.tsx';
import { STATE_LABELS } from './state-presentation.ts';
import { ThemeSwitch } from './ThemeSwitch.tsx';
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

describe('PauseControls', () => {
  const base = {
    connection: 'connected' as const,
    pendingAction: null,
    actionError: null,
    onPause: noop,
    onResume: noop,
  };

  it('offers the three pause choices when not paused', () => {
    const markup = html(<PauseControls {...base} status={statusFixture({ state: 'earning' })} />);
    for (const id of ['pause-15m', 'pause-1h', 'pause-until-resumed']) expect(markup).toContain(`data-testid="${id}"`);
    expect(markup).toContain('15 minutes');
    expect(markup).toContain('1 hour');
    expect(markup).toContain('Until I resume');
    expect(markup).not.toContain('data-testid="resume"');
    expect(markup).not.toContain('disabled');
  });

  it('offers Resume while the owner’s pause is in force', () => {
    const status = statusFixture({ state: 'paused', override: { kind: 'pause', until: null, setAt: now } });
    const markup = html(<PauseControls {...base} status={status} />);
    expect(markup).toContain('data-testid="resume"');
    expect(markup).toContain('Resume earning');
    expect(markup).not.toContain('data-testid="pause-1h"');
  });

  it('disables the buttons while disconnected or while a request runs', () => {
    const status = statusFixture();
    expect(html(<PauseControls {...base} status={status} connection="reconnecting" />)).toContain('disabled');
    const busy = html(<PauseControls {...base} status={status} pendingAction="pause-1h" />);
    expect(busy).toContain('Pausing…');
    expect(busy).toContain('aria-busy="true"');
  });

  it('announces a failed request', () => {
    const markup = html(<PauseControls {...base} status={statusFixture()} actionError="The agent said no." />);
    expect(markup).toContain('role="alert"');
    expect(markup).toContain('The agent said no.');
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
