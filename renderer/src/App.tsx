/**
 * The dashboard's frame: header with the screens, connection banner, and the
 * screen the address names. It reads the store and hands plain values to the
 * screens, which is what keeps them testable without a browser.
 */
import { useEffect, useRef } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { AgentActions } from './agent-actions.ts';
import { JOBS_SHOWN } from './agent-connection.ts';
import { AppNav } from './components/AppNav.tsx';
import { ConnectionBanner } from './components/ConnectionBanner.tsx';
import { ConnectionIndicator } from './components/ConnectionIndicator.tsx';
import { HiveMark } from './components/HiveMark.tsx';
import { STATE_LABELS } from './components/state-presentation.ts';
import { UnauthorizedScreen } from './components/UnauthorizedScreen.tsx';
import { routeFor } from './routes/routes.ts';
import { DevicesScreen } from './screens/DevicesScreen.tsx';
import { EarningsScreen } from './screens/EarningsScreen.tsx';
import { FirstRunScreen } from './screens/FirstRunScreen.tsx';
import { HomeScreen } from './screens/HomeScreen.tsx';
import { ScheduleScreen } from './screens/ScheduleScreen.tsx';
import { SettingsScreen } from './screens/SettingsScreen.tsx';
import { WalletScreen } from './screens/WalletScreen.tsx';
import type { DashboardAction } from './store/dashboard-reducer.ts';
import { type DashboardStore, useDashboard } from './store/dashboard-store.ts';

interface AppProps {
  store: StoreApi<DashboardStore>;
  actions: AgentActions;
  isDesktop: boolean;
  onOpenLogFolder(): void;
}

const OVERRIDE_ACTIONS: ReadonlySet<DashboardAction> = new Set([
  'pause-15m',
  'pause-1h',
  'pause-until-tomorrow',
  'pause-until-resumed',
  'earn-30m',
  'earn-1h',
  'earn-2h',
  'finish-then-pause',
  'resume',
]);

const WALLET_ACTIONS: ReadonlySet<DashboardAction> = new Set([
  'unlock-wallet',
  'plan-withdrawal',
  'withdraw',
  'speed-up-withdrawal',
]);

export function App({ store, actions, isDesktop, onOpenLogFolder }: AppProps) {
  const connection = useDashboard(store, (s) => s.connection);
  const unauthorizedReason = useDashboard(store, (s) => s.unauthorizedReason);
  const status = useDashboard(store, (s) => s.status);
  const settings = useDashboard(store, (s) => s.settings);
  const policy = useDashboard(store, (s) => s.policy);
  const timeline = useDashboard(store, (s) => s.timeline);
  const desktopFacts = useDashboard(store, (s) => s.desktopFacts);
  const jobs = useDashboard(store, (s) => s.jobs);
  const earningsByDay = useDashboard(store, (s) => s.earningsByDay);
  const wallet = useDashboard(store, (s) => s.wallet);
  const balance = useDashboard(store, (s) => s.balance);
  const balanceProblem = useDashboard(store, (s) => s.balanceProblem);
  const withdrawalPlan = useDashboard(store, (s) => s.withdrawalPlan);
  const unlockedAddress = useDashboard(store, (s) => s.unlockedAddress);
  const route = useDashboard(store, (s) => s.route);
  const devices = useDashboard(store, (s) => s.devices);
  const devicesProblem = useDashboard(store, (s) => s.devicesProblem);
  const benchmark = useDashboard(store, (s) => s.benchmark);
  const firstRun = useDashboard(store, (s) => s.firstRun);
  const earningsRange = useDashboard(store, (s) => s.earningsRange);
  const earningsSeries = useDashboard(store, (s) => s.earningsSeries);
  const earningsSeriesProblem = useDashboard(store, (s) => s.earningsSeriesProblem);
  const earningsTotals = useDashboard(store, (s) => s.earningsTotals);
  const earningsTotalsProblem = useDashboard(store, (s) => s.earningsTotalsProblem);
  const benchmarkHistory = useDashboard(store, (s) => s.benchmarkHistory);
  const now = useDashboard(store, (s) => s.now);
  const pendingAction = useDashboard(store, (s) => s.pendingAction);
  const actionError = useDashboard(store, (s) => s.actionError);
  const failedAction = useDashboard(store, (s) => s.failedAction);
  const failedAttempts = useDashboard(store, (s) => s.failedAttempts);
  const theme = settings?.theme ?? 'system';
  const heading = useRef<HTMLHeadingElement>(null);
  const isFirstRoute = useRef(true);

  useEffect(() => {
    // A data attribute, not an inline style: the CSP allows no inline styles, and the CSS keys off it.
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const screen = routeFor(route).title;
    document.title = status === null ? `${screen} · Idlehive` : `${STATE_LABELS[status.state]} · ${screen} · Idlehive`;
  }, [status, route]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the route is the trigger; the effect reads only the ref.
  useEffect(() => {
    // After moving to another screen, focus its heading so a screen reader announces where the owner is.
    if (isFirstRoute.current) {
      isFirstRoute.current = false;
      return;
    }
    heading.current?.focus();
  }, [route]);

  if (connection === 'unauthorized') {
    return <UnauthorizedScreen reason={unauthorizedReason ?? 'missing-token'} />;
  }

  const errorFor = (matches: (action: DashboardAction) => boolean) =>
    failedAction !== null && matches(failedAction) ? actionError : null;
  const isConnected = connection === 'connected';
  const canAct = isConnected && pendingAction === null;
  const onRunBenchmark = (mode: 'quick' | 'full') => void actions.runBenchmark(mode);
  const isFirstRun = firstRun === 'active';
  const screenId = isFirstRun ? 'first-run' : route;

  return (
    <div className="app">
      <a className="skip-link" href="#screen-heading">
        Skip to content
      </a>
      <header className="app-header">
        <p className="brand">
          <HiveMark />
          <span className="brand__name">Idlehive</span>
        </p>
        <AppNav route={route} />
        <ConnectionIndicator connection={connection} />
      </header>
      <main
        className="app-main"
        aria-labelledby="screen-heading"
        data-testid={`screen-${screenId}`}
        data-first-run={firstRun}
      >
        <h1
          id="screen-heading"
          className={route === 'home' && !isFirstRun ? 'visually-hidden' : 'screen-heading'}
          ref={heading}
          tabIndex={-1}
        >
          {isFirstRun ? 'Set up Idlehive' : route === 'home' ? 'Idlehive dashboard' : routeFor(route).title}
        </h1>
        <ConnectionBanner connection={connection} failedAttempts={failedAttempts} isDesktop={isDesktop} />
        {isFirstRun && (
          <FirstRunScreen
            wallet={wallet}
            devices={devices}
            devicesProblem={devicesProblem}
            policy={policy}
            benchmark={benchmark}
            canAct={canAct}
            pendingAction={pendingAction}
            walletError={errorFor((action) => action === 'create-wallet' || action === 'import-wallet')}
            benchmarkError={errorFor((action) => action === 'run-benchmark')}
            startError={errorFor((action) => action === 'start-earning')}
            onCreateWallet={(password) => actions.createWallet(password)}
            onImportWallet={(secret, password) => actions.importWallet(secret, password)}
            onRunBenchmark={() => onRunBenchmark('quick')}
            onStartEarning={() => void actions.startEarning()}
            skipError={errorFor((action) => action === 'skip-first-run')}
            onSkip={() => void actions.skipFirstRun()}
          />
        )}
        {!isFirstRun && route === 'home' && (
          <HomeScreen
            status={status}
            connection={connection}
            timeline={timeline}
            earnings={earningsByDay}
            timeZone={policy?.timeZone}
            now={now}
            pendingAction={pendingAction}
            actionError={errorFor((action) => OVERRIDE_ACTIONS.has(action))}
            onOverride={(action) => void actions.override(action)}
            onResume={() => void actions.resume()}
          />
        )}
        {!isFirstRun && route === 'earnings' && (
          <EarningsScreen
            jobs={jobs}
            now={now}
            jobsShown={JOBS_SHOWN}
            chartRange={earningsRange}
            series={earningsSeries}
            seriesProblem={earningsSeriesProblem}
            totals={earningsTotals}
            totalsProblem={earningsTotalsProblem}
            onChartRange={(range) => actions.selectEarningsRange(range)}
          />
        )}
        {!isFirstRun && route === 'devices' && (
          <DevicesScreen
            devices={devices}
            devicesProblem={devicesProblem}
            policy={policy}
            benchmark={benchmark}
            benchmarkHistory={benchmarkHistory}
            timeZone={policy?.timeZone}
            now={now}
            canAct={canAct}
            isSavingDevice={pendingAction === 'save-device'}
            deviceError={errorFor((action) => action === 'save-device')}
            benchmarkError={errorFor((action) => action === 'run-benchmark')}
            onRunBenchmark={onRunBenchmark}
            onRefresh={() => actions.refreshDevices(true)}
            onSaveDevice={(patch) => actions.saveDevice(patch)}
          />
        )}
        {!isFirstRun && route === 'schedule' && (
          <ScheduleScreen
            policy={policy}
            canSave={isConnected && pendingAction === null}
            isSaving={pendingAction === 'save-policy'}
            saveError={errorFor((action) => action === 'save-policy')}
            onSave={(patch) => actions.savePolicy(patch)}
          />
        )}
        {!isFirstRun && route === 'wallet' && (
          <WalletScreen
            wallet={wallet}
            unlockedAddress={unlockedAddress}
            balance={balance}
            balanceProblem={balanceProblem}
            plan={withdrawalPlan}
            canAct={isConnected && pendingAction === null}
            pendingAction={pendingAction}
            actionError={errorFor((action) => WALLET_ACTIONS.has(action))}
            onUnlock={(password) => void actions.unlockWallet(password)}
            onPlan={(to) => void actions.planWithdrawal(to)}
            onCancelPlan={() => actions.cancelWithdrawal()}
            onWithdraw={(plan, to) => void actions.withdraw(plan, to)}
            onSpeedUp={(id) => void actions.speedUpWithdrawal(id)}
            onSetUp={() => store.getState().dispatch({ type: 'first-run-opened' })}
          />
        )}
        {!isFirstRun && route === 'settings' && (
          <SettingsScreen
            settings={settings}
            canAct={isConnected && pendingAction === null}
            pendingAction={pendingAction}
            saveError={errorFor((action) => action === 'save-settings' || action === 'set-theme')}
            isDesktop={isDesktop}
            desktopFacts={desktopFacts}
            onTheme={(next) => void actions.setTheme(next)}
            onSave={(patch) => actions.saveSettings(patch)}
            onOpenLogFolder={onOpenLogFolder}
            diagnosticsError={errorFor((action) => action === 'export-diagnostics')}
            onExportDiagnostics={() => actions.exportDiagnostics()}
          />
        )}
      </main>
      <footer className="app-footer">
        {status !== null && (
          <p className="app-footer__agent">
            Agent {status.agent.version} · process {status.agent.pid}
          </p>
        )}
      </footer>
    </div>
  );
}
