/**
 * The files the worker may read (--allow-fs-read, and the bubblewrap view):
 * its own folder (with the compiled copies under .compiled/), the three
 * packages it imports, and the package.json that says its modules are ES
 * modules. Nothing else: not the agent's home, not the wallet, not the user's
 * files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-root.ts';
import { outsideAsar } from './worker-runtime.ts';

export const WORKER_CODE_DIR = outsideAsar(path.resolve(import.meta.dirname, '../worker'));

/** The packages worker-main imports, directly or through onnxruntime-node. */
export const WORKER_PACKAGES = ['zod', 'onnxruntime-node', 'onnxruntime-common'] as const;

export function workerReadPaths(): string[] {
  const paths = new Set<string>([WORKER_CODE_DIR]);
  const packageJson = nearestPackageJson(WORKER_CODE_DIR);
  if (packageJson !== null) paths.add(packageJson);
  // onnxruntime-common is onnxruntime-node's dependency: resolve it from there, wherever npm put it.
  let resolveFrom = path.join(WORKER_CODE_DIR, 'worker-main.ts');
  for (const name of WORKER_PACKAGES) {
    const root = packageRoot(name, resolveFrom);
    for (const variant of [root, realPath(root)]) paths.add(outsideAsar(variant));
    if (name === 'onnxruntime-node') resolveFrom = path.join(root, 'package.json');
  }
  return [...paths];
}

function nearestPackageJson(directory: string): string | null {
  for (let current = directory; ; current = path.dirname(current)) {
    const candidate = path.join(current, 'package.json');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return null;
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
