/**
 * The dashboard's frame: header, connection banner, status and controls. It
 * reads the store and hands plain values to presentational components, which
 * is what keeps those components testable without a browser.
 */
import { useEffect } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { AgentActions } from './agent-actions.ts';
import { ConnectionBanner } from './components/ConnectionBanner.tsx';
import { ConnectionIndicator } from './components/ConnectionIndicator.tsx';
import { HiveMark } from './components/HiveMark.tsx';
import { PauseControls } from './components/PauseControls.tsx';
import { StatusPanel } from './components/StatusPanel.tsx';
import { STATE_LABELS } from './components/state-presentation.ts';
import { ThemeSwitch } from './components/ThemeSwitch.tsx';
import { UnauthorizedScreen } from './components/UnauthorizedScreen.tsx';
import { type DashboardStore, useDashboard } from './store/dashboard-store.ts';

interface AppProps {
  store: StoreApi<DashboardStore>;
  actions: AgentActions;
  isDesktop: boolean;
}

export function App({ store, actions, isDesktop }: AppProps) {
  const connection = useDashboard(store, (s) => s.connection);
  const unauthorizedReason = useDashboard(store, (s) => s.unauthorizedReason);
  const status = useDashboard(store, (s) => s.status);
  const settings = useDashboard(store, (s) => s.settings);
  const pendingAction = useDashboard(store, (s) => s.pendingAction);
  const actionError = useDashboard(store, (s) => s.actionError);
  const failedAttempts = useDashboard(store, (s) => s.failedAttempts);
  const theme = settings?.theme ?? 'system';

  useEffect(() => {
    // A data attribute, not an inline style: the CSP allows no inline styles, and the CSS keys off it.
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    document.title = status === null ? 'Idlehive' : `${STATE_LABELS[status.state]} · Idlehive`;
  }, [status]);

  if (connection === 'unauthorized') {
    return <UnauthorizedScreen reason={unauthorizedReason ?? 'missing-token'} />;
  }

  return (
    <div className="app">
      <header className="app-header">
        <p className="brand">
          <HiveMark />
          <span className="brand__name">Idlehive</span>
        </p>
        <ConnectionIndicator connection={connection} />
      </header>
      <main className="app-main" aria-label="Dashboard">
        <h1 className="visually-hidden">Idlehive dashboard</h1>
        <ConnectionBanner connection={connection} failedAttempts={failedAttempts} isDesktop={isDesktop} />
        <StatusPanel status={status} connection={connection} now={Date.now()} />
        <PauseControls
          status={status}
          connection={connection}
          pendingAction={pendingAction}
          actionError={actionError}
          onPause={(action) => void actions.pause(action)}
          onResume={() => void actions.resume()}
        />
      </main>
      <footer className="app-footer">
        <ThemeSwitch
          theme={theme}
          disabled={connection !== 'connected' || settings === null || pendingAction !== null}
          onChange={(next) => void actions.setTheme(next)}
        />
        {status !== null && (
          <p className="app-footer__agent">
            Agent {status.agent.version} · process {status.agent.pid}
          </p>
        )}
      </footer>
    </div>
  );
}
