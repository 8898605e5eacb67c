/**
 * `npm start` / `idlehive start`: the local network (or the one named with
 * --network), then the desktop app where an Electron binary is installed,
 * otherwise the agent with the dashboard in the browser, saying so in one
 * line. One Ctrl-C stops all of it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { APP_ROOT } from '../app-root.ts';
import { embeddedNetworkEnvironment } from '../embedded-network.ts';
import { runAgentInForeground } from './agent-command.ts';
import { findElectronBinary } from './electron-binary.ts';
import { type NetworkChoice, startNetworkForAgent } from './network-for-start.ts';

const REPO_ROOT = APP_ROOT;

export interface StartOptions extends NetworkChoice {
  home: string;
  port?: number;
  open: boolean;
}

function hasDisplay(env: NodeJS.ProcessEnv): boolean {
  if (process.platform !== 'linux') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export async function startIdlehive(options: StartOptions): Promise<void> {
  const network = await startNetworkForAgent(options.home, options);
  try {
    await startAppOrAgent(options, network);
  } finally {
    await network.stop();
  }
}

async function startAppOrAgent(
  options: StartOptions,
  network: Awaited<ReturnType<typeof startNetworkForAgent>>,
): Promise<void> {
  const electron = findElectronBinary();
  const electronMain = path.join(REPO_ROOT, 'dist/electron/main.js');
  if (electron.found && fs.existsSync(electronMain) && hasDisplay(process.env)) {
    // Electron main forks the agent with its own environment, so the network travels there too.
    const child = spawn(electron.binary, [REPO_ROOT], {
      stdio: 'inherit',
      env: { ...process.env, IDLEHIVE_HOME: options.home, ...embeddedNetworkEnvironment(network.embedded) },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
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
    embeddedCoordinatorUrl: network.embedded.coordinatorUrl ?? undefined,
    embeddedChainRpcUrl: network.embedded.chainRpcUrl ?? undefined,
    onReady: (link) => {
      process.stdout.write(
        `Idlehive dashboard: ${link} (opened in the browser because ${why}; ${network.summary}; Ctrl-C stops Idlehive)\n`,
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
