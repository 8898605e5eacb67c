/**
 * Which Node binary runs the sandboxed worker.
 *
 * Electron's utilityProcess ignores --permission/--allow-* and is not
 * sandboxed, and with the RunAsNode fuse off the Electron binary cannot be
 * started as Node. So the desktop app ships a plain Node binary in its
 * resources and the worker always runs on real Node with the permission model
 * (see native/sandbox/README.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { IdlehiveError } from '../../agent/errors.ts';

export interface WorkerRuntime {
  nodePath: string;
  /** Where the binary came from, for the isolation report and logs. */
  source: 'configured' | 'current-node' | 'app-resources' | 'path';
}

export interface RuntimeContext {
  platform: NodeJS.Platform;
  execPath: string;
  /** Set when the agent itself runs inside Electron (utilityProcess). */
  electronVersion: string | undefined;
  /** Electron's resources folder (process.resourcesPath), where the packaged app ships its Node. */
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
    resourcesPath: (process as { resourcesPath?: string }).resourcesPath,
    configuredNodePath: process.env.IDLEHIVE_WORKER_NODE || undefined,
    pathEnv: process.env.PATH,
    isExecutable,
  };
}

/** The Node binary the packaged app ships in its resources. */
export function bundledNodePath(resourcesPath: string, platform: NodeJS.Platform): string {
  return platform === 'win32'
    ? path.join(resourcesPath, 'node', 'node.exe')
    : path.join(resourcesPath, 'node', 'bin', 'node');
}

export function resolveWorkerRuntime(context: RuntimeContext = currentRuntimeContext()): WorkerRuntime {
  if (context.configuredNodePath !== undefined) {
    if (!context.isExecutable(context.configuredNodePath)) {
      throw new IdlehiveError(
        'worker.runtime_missing',
        `IDLEHIVE_WORKER_NODE points at ${context.configuredNodePath}, which is not an executable Node binary. Fix the path or unset it.`,
      );
    }
    return { nodePath: context.configuredNodePath, source: 'configured' };
  }
  // Plain Node (headless agent, CLI, tests): the binary running us has the permission model.
  if (context.electronVersion === undefined) return { nodePath: context.execPath, source: 'current-node' };

  if (context.resourcesPath !== undefined) {
    const bundled = bundledNodePath(context.resourcesPath, context.platform);
    if (context.isExecutable(bundled)) return { nodePath: bundled, source: 'app-resources' };
  }
  // An unpackaged Electron run (development): use the developer's Node, never Electron itself.
  const fromPath = findOnPath(context.platform === 'win32' ? 'node.exe' : 'node', context);
  if (fromPath !== null) return { nodePath: fromPath, source: 'path' };
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
