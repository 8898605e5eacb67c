/**
 * Electron main: the thin desktop shell. It wires the single-purpose modules
 * beside it and holds no state of its own beyond what the agent pushes:
 * single-instance lock, the agent as a supervised child, the app:// protocol,
 * the tray, the dashboard window, and the one IPC channel.
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { app, ipcMain, Notification, nativeTheme, powerMonitor, protocol, session, shell } from 'electron';
import electronUpdater from 'electron-updater';
import { IdlehiveError } from '../agent/errors.ts';
import { homeLayout, resolveHome } from '../agent/home.ts';
import { connectLocalApi } from '../agent/local-api/client.ts';
import type { Status } from '../agent/local-api/contract.ts';
import { readAgentEndpoint } from './agent-endpoint-file.ts';
import { isAgentAnswering, startAgentLink } from './agent-link.ts';
import { forkAgent } from './agent-process.ts';
import { createAgentSupervisor } from './agent-supervisor.ts';
import {
  agentEntryPath,
  appIconPath,
  preloadScriptPath,
  rendererRoot,
  resourcesRoot,
  trayIconPath,
} from './app-paths.ts';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol.ts';
import { builtInFeedFile, createAppUpdater, readUpdateFacts } from './app-updater.ts';
import { createDashboardWindow } from './dashboard-window.ts';
import { ipcContract } from './ipc-contract.ts';
import { shouldShowOnSecondLaunch, shouldStartHidden } from './launch-options.ts';
import { createStartAtLoginFollower } from './login-item-writer.ts';
import {
  type DesktopNotification,
  isFinishedWithdrawal,
  notificationForStatus,
  notificationForUpdate,
  notificationForWithdrawal,
} from './notification-rules.ts';
import { type ShellSignalReporter, startShellSignalReporter } from './shell-signal-reporter.ts';
import { buildShellSignals, isWaylandSession } from './shell-signals.ts';
import { createTrayController } from './tray-controller.ts';
import { nextEarningsDayStart } from './tray-earnings.ts';
import { TRAY_OVERRIDE_REQUESTS, type TrayAction, type TrayContext } from './tray-menu.ts';
import { createHandleTrusted } from './trusted-ipc.ts';
import { planUpdates } from './update-policy.ts';
import { hardenSession, hardenWebContents } from './web-contents-hardening.ts';

/** After this many failed connects in a row with no agent of ours running, main starts one. */
const FAILURES_BEFORE_STARTING_AGENT = 3;

// Must happen before `ready`: it decides how Chromium treats app:// from the first request.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

function log(message: string): void {
  console.log(`[idlehive desktop] ${message}`);
}

async function runDesktopApp(): Promise<void> {
  const location = { appPath: app.getAppPath(), resourcesPath: process.resourcesPath, isPackaged: app.isPackaged };
  // The same rule as the CLI and the headless agent (IDLEHIVE_HOME, else the platform's data folder),
  // so `idlehive status` in a terminal talks to the agent the desktop app started.
  const home = resolveHome(undefined);
  const { endpointFile, logDir } = homeLayout(home);
  const resources = resourcesRoot(location);
  const readEndpoint = () => readAgentEndpoint(endpointFile);

  app.on('web-contents-created', (_event, contents) => {
    // Reviewed for electronegativity: hardenWebContents calls this only for https links to the allowed hosts
    // (navigation-policy.ts, isAllowedExternalUrl, unit-tested); no other input reaches openExternal.
    hardenWebContents(contents, (url) => void shell.openExternal(url)); // eng-disable OPEN_EXTERNAL_JS_CHECK
  });
  // Without a listener Electron quits when the last window closes; Idlehive lives on in the tray.
  app.on('window-all-closed', () => {});

  await app.whenReady();
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererRoot(location.appPath)));

  const window = createDashboardWindow({
    preloadPath: preloadScriptPath(location.appPath),
    iconPath: appIconPath(resources),
    preferences: () => ({ isDevelopment: !app.isPackaged, prefersDark: nativeTheme.shouldUseDarkColors }),
  });
  // The second launch exits at once (it lost the single-instance lock); its arguments say whether to come forward.
  app.on('second-instance', (_event, argv) => {
    if (shouldShowOnSecondLaunch(argv)) window.show();
  });
  app.on('activate', () => window.show()); // macOS: clicking the Dock icon.

  const handleTrusted = createHandleTrusted(ipcMain);
  handleTrusted(ipcContract.agent.getConnection, async () => {
    const endpoint = await readEndpoint();
    // The renderer retries with backoff, so "not yet" is an ordinary answer while the agent starts.
    if (endpoint === null) throw new IdlehiveError('agent_not_started', 'The Idlehive agent has not started yet.');
    return { url: endpoint.apiUrl, token: endpoint.token };
  });
  handleTrusted(ipcContract.desktop.getFacts, () => ({ logFolder: logDir }));
  handleTrusted(ipcContract.desktop.openLogFolder, async () => {
    // The path is main's own, never the page's: shell.openPath gets no untrusted input.
    const problem = await shell.openPath(logDir);
    if (problem !== '') throw new IdlehiveError('log_folder_not_opened', `Could not open ${logDir}: ${problem}`);
  });

  let status: Status | null = null;
  let trayContext: TrayContext = {};
  // Actions only arrive from clicks, after everything below exists.
  const tray = createTrayController({
    iconPath: (state) => trayIconPath(resources, state),
    onAction: (action) => onTrayAction(action),
    clock: Date.now,
  });
  // "Earned today" turns to the new day at the owner's midnight even when no event arrives then.
  let dayChangeTimer: NodeJS.Timeout | null = null;
  const redrawTray = () => {
    tray.update(status, trayContext);
    if (dayChangeTimer !== null) clearTimeout(dayChangeTimer);
    const dayStart = nextEarningsDayStart(trayContext.earnings, Date.now());
    dayChangeTimer = dayStart === null ? null : setTimeout(redrawTray, Math.max(1000, dayStart - Date.now() + 1000));
  };
  powerMonitor.on('resume', redrawTray); // A timer does not run while the computer sleeps.

  const supervisor = createAgentSupervisor({
    fork: () => forkAgent(agentEntryPath(location.appPath), home, location.isPackaged ? location.resourcesPath : null),
    onGiveUp: (message) => {
      log(message);
      trayContext = { ...trayContext, agentProblem: message };
      redrawTray();
    },
    log,
  });

  // An agent may already run for this home (started with `idlehive agent`); then the app only attaches to it.
  if (await isAgentAnswering(readEndpoint, connectLocalApi)) log(`attached to the agent already running for ${home}`);
  else supervisor.start();

  // Created after the link, which it reports through; the link's first status arrives later still.
  let reporter: ShellSignalReporter | null = null;

  const applyStartAtLogin = createStartAtLoginFollower(app, {
    platform: process.platform,
    env: process.env,
    homeDir: os.homedir(),
    execPath: process.execPath,
    appPathArg: app.isPackaged ? null : app.getAppPath(),
    log,
  });

  let areNotificationsOn = true;
  const show = (notification: DesktopNotification | null) => {
    if (notification === null || !Notification.isSupported()) return;
    const shown = new Notification(notification);
    shown.on('click', () => window.show());
    shown.show();
  };
  // Kept across reconnects, so a problem that outlives an agent restart is not announced twice.
  let lastKnownStatus: Status | null = null;
  const notify = (next: Status) => {
    show(notificationForStatus(lastKnownStatus, next, areNotificationsOn));
    lastKnownStatus = next;
  };
  // Withdrawals already confirmed or failed, each told about at most once.
  const announcedWithdrawals = new Set<number>();

  const updateFacts = (feedUrlSetting: string | null) =>
    readUpdateFacts({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, feedUrlSetting });
  let announcedUpdate: string | null = null;
  const updates = createAppUpdater({
    updater: () => electronUpdater.autoUpdater,
    builtInFeedFile: builtInFeedFile(process.resourcesPath),
    onReady: (version) => {
      trayContext = { ...trayContext, updateReady: { version } };
      redrawTray();
      show(notificationForUpdate(version, announcedUpdate, areNotificationsOn));
      announcedUpdate = version;
    },
    log,
  });
  // The installer's own feed needs no agent: an update can still arrive when the agent will not start.
  updates.apply(planUpdates(updateFacts(null)));

  const link = startAgentLink({
    readEndpoint,
    connect: connectLocalApi,
    onStatus: (next) => {
      const isReconnected = status === null && next !== null;
      if (next !== null) notify(next);
      status = next;
      if (next !== null) {
        trayContext = { ...trayContext, agentProblem: undefined };
        // A (re)connected agent knows nothing of the owner yet; tell it at once, then at its cadence.
        if (isReconnected) reporter?.reportNow();
        else reporter?.followCadence(next.shellReportEveryMs);
        // Withdrawals that ended before this connection are old news, not something to announce now.
        if (isReconnected) {
          link
            .current()
            ?.call('wallet.status', {})
            .then(
              (wallet) => {
                for (const withdrawal of wallet.withdrawals) {
                  if (isFinishedWithdrawal(withdrawal)) announcedWithdrawals.add(withdrawal.id);
                }
              },
              () => {},
            );
        }
      }
      redrawTray();
    },
    onSettings: (settings) => {
      areNotificationsOn = settings.notifications;
      applyStartAtLogin(settings);
      updates.apply(planUpdates(updateFacts(settings.updateFeedUrl)));
    },
    onEarnings: (earnings) => {
      trayContext = { ...trayContext, earnings };
      redrawTray();
    },
    onWithdrawal: (progress) => {
      show(notificationForWithdrawal(progress, announcedWithdrawals, areNotificationsOn));
      if (isFinishedWithdrawal(progress)) announcedWithdrawals.add(progress.id);
    },
    onFailure: (failures) => {
      // The agent we attached to went away, and none of ours runs: start one (unless ours gave up).
      if (
        failures >= FAILURES_BEFORE_STARTING_AGENT &&
        !supervisor.isActive &&
        trayContext.agentProblem === undefined
      ) {
        supervisor.start();
      }
    },
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
  });

  // Idle time cannot be read on Wayland (Electron answers 0 there); it is reported as unknown, never as "in use".
  const isIdleTimeReadable = !isWaylandSession({ platform: process.platform, env: process.env });
  const shellReporter = startShellSignalReporter({
    read: () =>
      buildShellSignals(
        { systemIdleSeconds: powerMonitor.getSystemIdleTime(), isOnBatteryPower: powerMonitor.isOnBatteryPower() },
        isIdleTimeReadable,
      ),
    send: (signals) => link.current()?.call('signals.shell.report', { signals }) ?? null,
  });
  powerMonitor.on('on-ac', () => shellReporter.reportNow());
  powerMonitor.on('on-battery', () => shellReporter.reportNow());
  reporter = shellReporter;

  function onTrayAction(action: TrayAction): void {
    const request = (() => {
      switch (action) {
        case 'open-dashboard':
          window.show();
          return undefined;
        case 'quit':
          app.quit();
          return undefined;
        case 'resume':
          return link.current()?.call('control.resume', {});
        case 'install-update':
          // On macOS the updater closes every window before quitting; ours would only hide without this.
          window.allowClose();
          updates.installNow();
          return undefined;
        default:
          return link.current()?.call('control.override', { request: TRAY_OVERRIDE_REQUESTS[action] });
      }
    })();
    // The status push that follows a success updates the tray; a failure is only worth a log line here.
    request?.catch((error: unknown) => log(`tray action ${action} failed: ${String(error)}`));
  }

  if (!shouldStartHidden(process.argv, app.getLoginItemSettings().wasOpenedAtLogin)) window.show();

  let isAgentStopped = false;
  app.on('before-quit', () => window.allowClose());
  app.on('will-quit', (event) => {
    if (isAgentStopped) return;
    // Let the agent we started shut down cleanly (it finishes its ledger writes) before the app exits.
    event.preventDefault();
    isAgentStopped = true;
    updates.stop();
    if (dayChangeTimer !== null) clearTimeout(dayChangeTimer);
    shellReporter.stop();
    link.stop();
    void supervisor.stop().finally(() => app.quit());
  });
}

if (app.requestSingleInstanceLock()) {
  runDesktopApp().catch((error: unknown) => {
    console.error('[idlehive desktop] could not start:', error);
    app.exit(1);
  });
} else {
  // Another Idlehive runs; it received 'second-instance' and shows its window.
  app.quit();
}
