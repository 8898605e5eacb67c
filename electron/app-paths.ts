/**
 * Where the desktop app finds its parts. Pure: the app path, resources path and
 * packaging flag come in from Electron, so the layout is tested without it.
 *
 * Layout (unpackaged, app path = repository root; packaged, app path = app.asar):
 *   dist/agent/main.js        the agent, started with utilityProcess.fork
 *   dist/electron/preload.cjs the preload, one sandbox-ready script (electron/preload.vite.config.ts)
 *   dist/renderer/            the dashboard, served at app://idlehive/
 *   resources/                icons; packaged, electron-builder copies it next to app.asar (extraResources)
 */
import path from 'node:path';
import type { TrayIconState } from './tray-menu.ts';

export interface AppLocation {
  /** app.getAppPath() */
  appPath: string;
  /** process.resourcesPath */
  resourcesPath: string;
  /** app.isPackaged */
  isPackaged: boolean;
}

export function agentEntryPath(appPath: string): string {
  return path.join(appPath, 'dist', 'agent', 'main.js');
}

export function preloadScriptPath(appPath: string): string {
  return path.join(appPath, 'dist', 'electron', 'preload.cjs');
}

export function rendererRoot(appPath: string): string {
  return path.join(appPath, 'dist', 'renderer');
}

/** The resources folder: beside app.asar when packaged (extraResources), in the repository otherwise. */
export function resourcesRoot(location: AppLocation): string {
  return location.isPackaged
    ? path.join(location.resourcesPath, 'resources')
    : path.join(location.appPath, 'resources');
}

/** The 16 px tray image; Electron loads name@2x.png beside it on high-density displays. */
export function trayIconPath(resources: string, state: TrayIconState): string {
  return path.join(resources, 'tray', `${state}.png`);
}

export function appIconPath(resources: string): string {
  return path.join(resources, 'icon.png');
}
