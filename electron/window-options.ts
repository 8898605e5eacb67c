/**
 * The dashboard window's options, built by a pure function so each hardening
 * flag is asserted in a unit test. Several flags restate Electron's defaults
 * on purpose: a default that changes, or a line someone adds later, should
 * fail a test rather than silently open the renderer.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export interface DashboardWindowPreferences {
  /** DevTools only in development builds. */
  isDevelopment: boolean;
  /** Paint the window dark before the page loads, so a dark theme does not flash white. */
  prefersDark: boolean;
}

export function dashboardWindowOptions(
  preloadPath: string,
  preferences: DashboardWindowPreferences = { isDevelopment: false, prefersDark: false },
): BrowserWindowConstructorOptions {
  return {
    title: 'Idlehive',
    width: 960,
    height: 720,
    minWidth: 420,
    minHeight: 520,
    show: false, // Shown on ready-to-show, once there is something to show.
    autoHideMenuBar: true,
    backgroundColor: preferences.prefersDark ? '#151412' : '#f6f5f2',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click opens links in new windows; new windows are denied anyway, but the event should not exist.
      disableBlinkFeatures: 'Auxclick',
      devTools: preferences.isDevelopment,
    },
  };
}
