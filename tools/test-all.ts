/**
 * `npm test`: every check, in order, stopping at the first failing step, and a
 * closing line `N passed, N failed` counted from the test runners' reports.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { foundryBinaryPath, missingFoundryBinaryMessage } from '../network/chain/foundry-binary.ts';
import { ensureChromium } from './ensure-chromium.ts';
import { ensureSecretService } from './ensure-secret-service.ts';

const outputDir = path.resolve('test-output');
fs.mkdirSync(outputDir, { recursive: true });

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}
const totals: Totals = { passed: 0, failed: 0, skipped: 0 };

function run(title: string, command: string, args: string[]): boolean {
  process.stdout.write(`\n▶ ${title}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  process.stdout.write(`${ok ? '✔' : '✘'} ${title} (${seconds} s)\n`);
  return ok;
}

function addVitestReport(file: string): void {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
}

function vitest(title: string, projects: string[], reportName: string): boolean {
  const report = path.join(outputDir, reportName);
  fs.rmSync(report, { force: true });
  const ok = run(title, 'npx', [
    'vitest',
    'run',
    ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  addVitestReport(report);
  return ok;
}

/**
 * Solidity format check, then the contracts' unit, fuzz and invariant tests. Offline: forge
 * compiles with solc-js through tools/solc-shim.ts, never a downloaded solc. Forge's output is
 * passed through and its closing summary line is added to the totals.
 */
function forge(title: string): boolean {
  const binary = foundryBinaryPath('forge');
  if (!binary) {
    process.stdout.write(`\n▶ ${title}\n✘ ${missingFoundryBinaryMessage('forge')}\n`);
    return false;
  }
  const root = path.resolve('contracts');
  if (!run(`${title}: format`, binary, ['fmt', '--check', '--root', root])) return false;
  process.stdout.write(`\n▶ ${title}\n`);
  const started = Date.now();
  const shim = path.resolve('tools/solc-shim.ts');
  const result = spawnSync(binary, ['test', '--offline', '--use', shim, '--root', root], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: process.env,
  });
  process.stdout.write(result.stdout ?? '');
  const summary = /(\d+) tests passed, (\d+) failed, (\d+) skipped/.exec(result.stdout ?? '');
  if (summary) {
    totals.passed += Number(summary[1]);
    totals.failed += Number(summary[2]);
    totals.skipped += Number(summary[3]);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0 && summary !== null;
  process.stdout.write(`${ok ? '✔' : '✘'} ${title} (${seconds} s)\n`);
  return ok;
}

const steps: Array<() => boolean> = [
  () => run('Type-check (TypeScript, strict)', 'npx', ['tsc', '-p', 'tsconfig.json']),
  () => run('Lint and format (Biome)', 'npx', ['biome', 'ci', '.']),
  () =>
    run('Build the dashboard (Vite)', 'npx', [
      'vite',
      'build',
      '--config',
      'renderer/vite.config.ts',
      '--logLevel',
      'warn',
    ]),
  () => forge('Contract tests (Foundry)'),
  () => run('Electron security scan (electronegativity)', process.execPath, ['tools/electronegativity-scan.ts']),
  () => {
    ensureSecretService();
    return vitest('Unit and integration tests (Vitest)', ['unit', 'integration'], 'vitest-node.json');
  },
  () => {
    ensureChromium();
    return vitest('Browser tests (Vitest + Chromium)', ['browser'], 'vitest-browser.json');
  },
];

let failedStep = false;
for (const step of steps) {
  if (!step()) {
    failedStep = true;
    break;
  }
}

const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
process.exit(failedStep || totals.failed > 0 ? 1 : 0);
