/**
 * The desktop app end to end with Playwright's Electron driver: launch, the
 * agent it supervises answering, the window showing live status through the
 * preload bridge, the log folder from main, and closing to the tray. It runs
 * wherever an Electron binary is installed; here none can be downloaded, so it
 * says it skipped and why. The binary is found through
 * node_modules/electron/path.txt, never `require('electron')` (which downloads).
 */
import fs from 'node:fs';
import path from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../agent/cli/electron-binary.ts';
import { makeTempHome, REPO_ROOT, runCliSync } from '../support/agent-process.ts';
import { screenshotPath } from '../support/chromium.ts';
import { skipFirstRun } from '../support/first-run.ts';

const electron = findElectronBinary();
const shellEntry = path.join(REPO_ROOT, 'dist/electron/main.js');
const title = electron.found
  ? 'the desktop app (Electron)'
  : `the desktop app (Electron): SKIPPED because ${electron.why}`;

if (!electron.found) {
  process.stdout.write(
    `[desktop-app.test] skipped: ${electron.why}; the Electron test runs where a binary is installed.\n`,
  );
}

describe.skipIf(!electron.found)(title, () => {
  let app: ElectronApplication;
  const home = makeTempHome('idlehive-desktop-');

  beforeAll(async () => {
    if (!electron.found) return;
    if (!fs.existsSync(shellEntry)) {
      throw new Error(`The desktop shell is not built (${shellEntry} is missing): run npm run build first.`);
    }
    app = await _electron.launch({
      executablePath: electron.binary,
      args: [REPO_ROOT],
      env: { ...process.env, IDLEHIVE_HOME: home },
      timeout: 60_000,
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('opens one hardened window on app://idlehive showing the agent’s live status', async () => {
    const window = await app.firstWindow();
    expect(window.url()).toMatch(/^app:\/\/idlehive\//);
    // A fresh home has no wallet, so the window opens on the first run; the owner can skip it.
    await skipFirstRun(window);
    await window.getByTestId('agent-state').waitFor({ timeout: 30_000 });
    expect(await window.getByTestId('connection-state').textContent()).toBe('connected');
    // The page reaches main only through the preload bridge: no Node in the renderer.
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => Object.keys((window as { idlehive?: object }).idlehive ?? {}).sort())).toEqual([
      'getAgentConnection',
      'getDesktopFacts',
      'openLogFolder',
    ]);
    await window.screenshot({ path: screenshotPath('desktop-home') });
  });

  it('started the agent it supervises, which the CLI reaches too', async () => {
    const status = JSON.parse(runCliSync(home, ['status', '--json']).stdout) as { state: string };
    const window = await app.firstWindow();
    expect(await window.getByTestId('agent-state').textContent()).toBe(status.state);
  });

  it('shows the log folder main knows and start at login as a desktop setting', async () => {
    const window = await app.firstWindow();
    await window.getByTestId('nav-settings').click();
    expect(await window.getByTestId('log-folder').textContent()).toContain(path.join(home, 'logs'));
    expect(await window.getByTestId('start-at-login').isDisabled()).toBe(false);
  });

  it('keeps running in the tray when the window is closed', async () => {
    const window = await app.firstWindow();
    await window.close();
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible())).toBe(false);
  });
});
