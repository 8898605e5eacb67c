/**
 * The Electron security scan in `npm test`: electronegativity's programmatic
 * run() over the desktop shell as it ships (electron/ without tests, and the
 * dashboard's index.html). Its CLI exits 0 even with findings, so this script
 * decides: any finding of medium severity or higher fails (findings.ts).
 *
 * Offline by construction: the check that downloads release data is
 * excluded, the translation download is answered by offline-got.cjs, and
 * the Electron version comes from node_modules/electron/package.json (never
 * `require('electron')`, which downloads the binary). The sources are
 * TypeScript; Node's own type stripping turns them into JavaScript with the
 * same line numbers, so findings point at the right lines.
 */
import fs from 'node:fs';
import { createRequire, registerHooks, stripTypeScriptTypes } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  blockingFindings,
  describeFinding,
  OFFLINE_EXCLUDED_CHECKS,
  type ScanIssue,
} from './electronegativity/findings.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(repoRoot, 'package.json'));
const scannerRoot = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
// The scanner's TypeScript parser needs the TypeScript JS API it was built with (4.x, nested in its package);
// the project's own TypeScript 7 is the native compiler and has none.
const scannerTypeScript = path.join(scannerRoot, 'node_modules/typescript/lib/typescript.js');
const offlineGot = path.join(import.meta.dirname, 'electronegativity/offline-got.cjs');

registerHooks({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL ?? '';
    if (specifier === 'typescript' && parent.includes('/@typescript-eslint/') && fs.existsSync(scannerTypeScript)) {
      return { url: pathToFileURL(scannerTypeScript).href, format: 'commonjs', shortCircuit: true };
    }
    if (specifier === 'got' && parent.includes('/@doyensec/electronegativity/')) {
      return { url: pathToFileURL(offlineGot).href, format: 'commonjs', shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});

interface ScanResult {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: ScanIssue[];
}
type RunScan = (options: Record<string, unknown>) => Promise<ScanResult>;

/** The shipped shell as JavaScript in a fresh folder, plus a package.json naming the Electron version. */
function stageShell(electronVersion: string): string {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-electronegativity-'));
  const shellDir = path.join(repoRoot, 'electron');
  fs.mkdirSync(path.join(stage, 'electron'));
  for (const name of fs.readdirSync(shellDir)) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts') || name.endsWith('.config.ts')) continue;
    const source = fs.readFileSync(path.join(shellDir, name), 'utf8');
    fs.writeFileSync(path.join(stage, 'electron', name.replace(/\.ts$/, '.js')), stripTypeScriptTypes(source));
  }
  fs.copyFileSync(path.join(repoRoot, 'renderer/index.html'), path.join(stage, 'index.html'));
  fs.writeFileSync(
    path.join(stage, 'package.json'),
    JSON.stringify({ name: 'idlehive', private: true, devDependencies: { electron: electronVersion } }),
  );
  return stage;
}

const electronVersion = (
  JSON.parse(
    fs.readFileSync(path.join(path.dirname(require.resolve('electron/package.json')), 'package.json'), 'utf8'),
  ) as {
    version: string;
  }
).version;
const stage = stageShell(electronVersion);
try {
  const run = require('@doyensec/electronegativity') as RunScan;
  const result = await run({
    input: stage,
    isRelative: true,
    customScan: [],
    excludeFromScan: OFFLINE_EXCLUDED_CHECKS,
    electronVersionOverride: electronVersion,
  });
  const unparsed = result.errors.filter((error) => !error.tolerable);
  const blocking = blockingFindings(result.issues);
  process.stdout.write(
    `electronegativity: ${result.atomicChecks + result.globalChecks} checks on Electron ${electronVersion}, ` +
      `${result.issues.length} findings, ${blocking.length} medium or higher\n`,
  );
  for (const issue of result.issues) process.stdout.write(`  ${describeFinding(issue)}\n`);
  for (const error of unparsed) process.stdout.write(`  could not parse ${error.file}: ${error.message}\n`);
  // A file the scanner could not read was not checked, which is a failure too.
  process.exitCode = blocking.length > 0 || unparsed.length > 0 ? 1 : 0;
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
