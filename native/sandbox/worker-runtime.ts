/**
 * Which Node binary runs the sandboxed worker.
 *
 * Electron's utilityProcess ignores --permission/--allow-* and is not
 * sandboxed, and with the RunAsNode fuse off the Electron binary cannot be
 * started as Node. So the desktop app ships a plain Node binary in its
 * resources (tools/stage-worker-node.ts stages it, electron-builder.yml's
 * extraResources copies it to resources/node/) and the worker always runs on
 * real Node with the permission model (see native/sandbox/README.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { IdlehiveError } from '../../agent/errors.ts';

export interface WorkerRuntime {
  nodePath: string;
  /** Where the binary came from, for the isolation report and logs. */
  source: 'configured' | 'current-node' | 'app-resources' | 'path';
  /** Why this is not the runtime the app should use, when it is not (the isolation report shows it); else null. */
  note: string | null;
}

/** Set by the desktop app's main process for the agent it starts: its resources folder, when packaged. */
export const APP_RESOURCES_ENV = 'IDLEHIVE_APP_RESOURCES';
/** The folder under the app's resources that holds the worker's Node. */
export const BUNDLED_NODE_DIR = 'node';

export interface RuntimeContext {
  platform: NodeJS.Platform;
  execPath: string;
  /** Set when the agent itself runs inside Electron (utilityProcess). */
  electronVersion: string | undefined;
  /**
   * The packaged app's resources folder, where it ships its Node; undefined outside a packaged app
   * (an unpackaged Electron run's resourcesPath is Electron's own, which ships none).
   */
  resourcesPath: string | undefined;
  /** IDLEHIVE_WORKER_NODE: an explicit Node binary for the worker. */
  configuredNodePath: string | undefined;
  pathEnv: string | undefined;
  isExecutable(file: string): boolean;
}

export function currentRuntimeContext(): RuntimeContext {
  return {
    platform: process.platform,
    execPath: process.execPath,
    electronVersion: process.versions.electron,
    // From the app's main process, which alone knows app.isPackaged (the agent is its utility process).
    resourcesPath: process.env[APP_RESOURCES_ENV] || undefined,
    configuredNodePath: process.env.IDLEHIVE_WORKER_NODE || undefined,
    pathEnv: process.env.PATH,
    isExecutable,
  };
}

/** Where the binary sits inside the bundled Node folder: Node's own archive layout for each platform. */
export function bundledNodeRelativePath(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'node.exe' : path.join('bin', 'node');
}

/** The Node binary the packaged app ships in its resources. */
export function bundledNodePath(resourcesPath: string, platform: NodeJS.Platform): string {
  return path.join(resourcesPath, BUNDLED_NODE_DIR, bundledNodeRelativePath(platform));
}

export function resolveWorkerRuntime(context: RuntimeContext = currentRuntimeContext()): WorkerRuntime {
  if (context.configuredNodePath !== undefined) {
    if (!context.isExecutable(context.configuredNodePath)) {
      throw new IdlehiveError(
        'worker.runtime_missing',
        `IDLEHIVE_WORKER_NODE points at ${context.configuredNodePath}, which is not an executable Node binary. Fix the path or unset it.`,
      );
    }
    return { nodePath: context.configuredNodePath, source: 'configured', note: null };
  }
  // Plain Node (headless agent, CLI, tests): the binary running us has the permission model.
  if (context.electronVersion === undefined) {
    return { nodePath: context.execPath, source: 'current-node', note: null };
  }

  const bundled = context.resourcesPath === undefined ? null : bundledNodePath(context.resourcesPath, context.platform);
  if (bundled !== null && context.isExecutable(bundled))
    return { nodePath: bundled, source: 'app-resources', note: null };
  // Never Electron itself: only a plain Node applies the permission model. An unpackaged run (development)
  // uses the developer's Node; a packaged app whose own Node is gone says so wherever isolation is shown.
  const fromPath = findOnPath(context.platform === 'win32' ? 'node.exe' : 'node', context);
  if (fromPath !== null) {
    const note =
      bundled === null
        ? null
        : `The Node runtime that ships with Idlehive is missing (${bundled}), so jobs run on the Node found on PATH (${fromPath}), whatever version it is; reinstall Idlehive to restore it.`;
    return { nodePath: fromPath, source: 'path', note };
  }
  throw new IdlehiveError(
    'worker.runtime_missing',
    'Jobs need the Node runtime that ships with Idlehive, and it is missing. Reinstall Idlehive.',
  );
}

function findOnPath(binary: string, context: RuntimeContext): string | null {
  const separator = context.platform === 'win32' ? ';' : ':';
  for (const directory of (context.pathEnv ?? '').split(separator)) {
    if (!directory) continue;
    const candidate = path.join(directory, binary);
    if (candidate !== context.execPath && context.isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * A plain Node binary cannot read inside app.asar, so the packaged app keeps
 * the worker's code and its packages unpacked (electron-builder `asarUnpack`);
 * this maps a path inside the archive to its unpacked copy.
 */
export function outsideAsar(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
