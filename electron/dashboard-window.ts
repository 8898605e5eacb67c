/**
 * The one dashboard window. Closing it hides it (Idlehive keeps running in the
 * tray); it is created again only if it was destroyed. Quitting is the only
 * way to really close it.
 */
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './app-protocol.ts';
import { windowCloseOutcome } from './launch-options.ts';
import { type DashboardWindowPreferences, dashboardWindowOptions } from './window-options.ts';

export interface DashboardWindow {
  /** Shows, restores and focuses the window, creating it if needed. */
  show(): void;
  /** From now on closing the window closes it: the app is quitting. */
  allowClose(): void;
}

export function createDashboardWindow(options: {
  preloadPath: string;
  iconPath: string;
  preferences(): DashboardWindowPreferences;
}): DashboardWindow {
  let window: BrowserWindow | null = null;
  let isQuitting = false;

  const create = () => {
    const windowOptions = {
      ...dashboardWindowOptions(options.preloadPath, options.preferences()),
      icon: options.iconPath,
    };
    // electronegativity cannot see through dashboardWindowOptions(): contextIsolation, sandbox and the Auxclick
    // switch are set there and asserted flag by flag in window-options.test.ts, hence the marker on the next line.
    const created = new BrowserWindow(windowOptions); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
    created.on('close', (event) => {
      if (windowCloseOutcome(isQuitting) === 'close') return;
      event.preventDefault();
      created.hide();
    });
    created.on('closed', () => {
      if (window === created) window = null;
    });
    created.once('ready-to-show', () => {
      created.show();
      created.focus();
    });
    void created.loadURL(APP_ENTRY_URL);
    return created;
  };

  return {
    show() {
      if (window === null) {
        window = create();
        return; // ready-to-show shows it.
      }
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    allowClose() {
      isQuitting = true;
    },
  };
}
