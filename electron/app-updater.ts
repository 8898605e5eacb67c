/**
 * electron-updater, driven by the plan update-policy.ts makes. Nothing here
 * decides whether to update; it points the updater at the planned feed, checks
 * now and every few hours, downloads in the background and reports a
 * downloaded version. Every updater failure (no network, a bad feed, a
 * checksum that does not match) is logged and otherwise ignored: an update
 * must never take the tray app down.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AppUpdater } from 'electron-updater';
import { UPDATE_CHECK_EVERY_MS, type UpdateFacts, type UpdatePlan, updatePlanKey } from './update-policy.ts';

/** Where electron-builder puts the feed of an installer built with a `publish` provider. */
export function builtInFeedFile(resourcesPath: string): string {
  return path.join(resourcesPath, 'app-update.yml');
}

function readTextOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The facts update-policy.ts decides from, read from this install (process.resourcesPath) and the environment. */
export function readUpdateFacts(install: {
  isPackaged: boolean;
  resourcesPath: string;
  feedUrlSetting: string | null;
}): UpdateFacts {
  return {
    isPackaged: install.isPackaged,
    feedUrlSetting: install.feedUrlSetting,
    hasBuiltInFeed: install.isPackaged && fs.existsSync(builtInFeedFile(install.resourcesPath)),
    platform: process.platform,
    appImagePath: process.env.APPIMAGE,
    // electron-builder writes this for deb, rpm and pacman packages (electron-updater picks its installer by it).
    linuxPackageType:
      process.platform === 'linux' ? readTextOrNull(path.join(install.resourcesPath, 'package-type')) : null,
  };
}

export interface AppUpdaterControl {
  /** Applies the newest plan: starts, re-points or stops the checks (the same plan again does nothing). */
  apply(plan: UpdatePlan): void;
  /** Quits and installs the downloaded update; main lets the window close first. */
  installNow(): void;
  stop(): void;
}

export interface AppUpdaterOptions {
  /** electron-updater's autoUpdater, fetched only once a plan says to check (creating it reads the app's files). */
  updater(): AppUpdater;
  /** resources/app-update.yml: the feed electron-builder built into the installer. */
  builtInFeedFile: string;
  /** An update was downloaded and verified; it installs on restart. */
  onReady(version: string): void;
  log(message: string): void;
  everyMs?: number;
}

export function createAppUpdater(options: AppUpdaterOptions): AppUpdaterControl {
  let updater: AppUpdater | null = null;
  // null until the first plan, so even an "off" at launch is logged with its reason.
  let appliedKey: string | null = null;
  let timer: NodeJS.Timeout | null = null;

  const wired = (): AppUpdater => {
    if (updater !== null) return updater;
    const created = options.updater();
    created.autoDownload = true;
    created.autoInstallOnAppQuit = true;
    created.logger = {
      info: (message?: unknown) => options.log(`updater: ${String(message)}`),
      warn: (message?: unknown) => options.log(`updater warning: ${String(message)}`),
      error: (message?: unknown) => options.log(`updater error: ${String(message)}`),
    };
    created.on('update-downloaded', (info) => options.onReady(info.version));
    // Without an 'error' listener an EventEmitter throws; with it, a failed check is one log line.
    created.on('error', (error) => options.log(`update check failed: ${error.message}`));
    updater = created;
    return created;
  };

  const check = () => {
    const current = updater;
    if (current === null) return;
    current.checkForUpdates().catch((error: unknown) => {
      options.log(`update check failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };

  const stopChecks = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  return {
    apply(plan) {
      const key = updatePlanKey(plan);
      if (key === appliedKey) return;
      appliedKey = key;
      stopChecks();
      if (!plan.check) {
        options.log(`updates off: ${plan.reason}`);
        return;
      }
      try {
        const target = wired();
        if (plan.feed.kind === 'setting') target.setFeedURL({ provider: 'generic', url: plan.feed.url });
        // Back from the owner's feed to the installer's: assigning the path makes electron-updater read it again.
        else target.updateConfigPath = options.builtInFeedFile;
        options.log(`checking for updates at ${plan.feed.kind === 'setting' ? plan.feed.url : 'the built-in feed'}`);
      } catch (error) {
        options.log(
          `updates off: the updater could not start (${error instanceof Error ? error.message : String(error)})`,
        );
        appliedKey = 'off';
        return;
      }
      check();
      timer = setInterval(check, options.everyMs ?? UPDATE_CHECK_EVERY_MS);
      timer.unref();
    },
    installNow() {
      if (updater === null) return;
      try {
        updater.quitAndInstall();
      } catch (error) {
        options.log(`could not install the update: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    stop: stopChecks,
  };
}
