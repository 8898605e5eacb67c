/**
 * `npm start` / `idlehive start`: the desktop app where an Electron binary is
 * installed, otherwise the agent with the dashboard in the browser, saying so
 * in one line.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAgentInForeground } from './agent-command.ts';
import { findElectronBinary } from './electron-binary.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StartOptions {
  home: string;
  port?: number;
  open: boolean;
}

function hasDisplay(env: NodeJS.ProcessEnv): boolean {
  if (process.platform !== 'linux') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export async function startIdlehive(options: StartOptions): Promise<void> {
  const electron = findElectronBinary();
  const electronMain = path.join(REPO_ROOT, 'dist/electron/main.js');
  if (electron.found && fs.existsSync(electronMain) && hasDisplay(process.env)) {
    const child = spawn(electron.binary, [REPO_ROOT], {
      stdio: 'inherit',
      env: { ...process.env, IDLEHIVE_HOME: options.home },
    });
    await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    return;
  }
  const why = !electron.found
    ? electron.why
    : !fs.existsSync(electronMain)
      ? 'the desktop shell is not built (run `npm run build`)'
      : 'there is no display to open a window on';
  await runAgentInForeground({
    home: options.home,
    port: options.port,
    quiet: true,
    onReady: (link) => {
      process.stdout.write(
        `Idlehive dashboard: ${link} (opened in the browser because ${why}; Ctrl-C stops Idlehive)\n`,
      );
      if (options.open && hasDisplay(process.env)) {
        const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
        spawn(opener, [link], { stdio: 'ignore', detached: true })
          .on('error', () => {})
          .unref();
      }
    },
  });
}
