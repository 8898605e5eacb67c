/**
 * Finds an installed Electron binary without loading the `electron` package,
 * whose entry point tries to download one (impossible offline).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronLookup = { found: true; binary: string } | { found: false; why: string };

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronLookup {
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { found: false, why: 'the electron package is not installed' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!fs.existsSync(pathFile)) {
    return { found: false, why: 'the Electron binary is not installed (its download needs internet access)' };
  }
  const relative = fs.readFileSync(pathFile, 'utf8').trim();
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist');
  const binary = path.join(distDir, relative);
  if (!fs.existsSync(binary)) {
    return { found: false, why: `the Electron binary is missing at ${binary}` };
  }
  return { found: true, binary };
}
