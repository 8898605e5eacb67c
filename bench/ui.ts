/**
 * `npm run bench:ui`: how fast the dashboard shows live data, and how much
 * JavaScript it ships. Builds the dashboard, starts a real agent, and opens
 * the dashboard link in Chromium ten times, each in a fresh browser context
 * (no cache), timing from navigation until the agent's state is on screen.
 *
 * Prints `name=value` lines, ending with one ratio line per goal (below 1 is
 * within the goal).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { dashboardLink } from '../agent/local-api/endpoint-file.ts';
import { makeTempHome, REPO_ROOT, startAgentProcess } from '../test/support/agent-process.ts';
import { launchChromium } from '../test/support/chromium.ts';

const RUNS = 10;
const GOAL_RENDERER_JS_KB_GZIP = 250;
const rendererDir = path.join(REPO_ROOT, 'dist/renderer');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Every JavaScript file the dashboard loads, gzipped at level 9 as a web server would serve it at best. */
function rendererJsKbGzip(): number {
  const assets = path.join(rendererDir, 'assets');
  let bytes = 0;
  for (const name of fs.readdirSync(assets)) {
    if (!name.endsWith('.js')) continue;
    bytes += zlib.gzipSync(fs.readFileSync(path.join(assets, name)), { level: 9 }).length;
  }
  return bytes / 1024;
}

const build = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
});
if (build.status !== 0) throw new Error('The dashboard build failed.');

const agent = await startAgentProcess(makeTempHome('idlehive-bench-ui-'));
const browser = await launchChromium();
const timings: number[] = [];
try {
  const link = dashboardLink(agent.endpoint);
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(link);
    // A fresh agent has no wallet, so the page shows the first run; either screen is live data from the agent.
    await page.getByTestId('agent-state').or(page.getByTestId('first-run')).first().waitFor({ timeout: 15_000 });
    timings.push(performance.now() - started);
    await context.close();
  }
} finally {
  await browser.close();
  await agent.stop();
}

const jsKb = rendererJsKbGzip();
process.stdout.write(`dashboard_ready_ms_runs=${timings.map((ms) => ms.toFixed(0)).join(',')}\n`);
process.stdout.write(`dashboard_ready_ms=${median(timings).toFixed(0)}\n`);
process.stdout.write(`renderer_js_kb_gzip=${jsKb.toFixed(1)}\n`);
process.stdout.write(`renderer_js_kb_gzip_vs_goal=${(jsKb / GOAL_RENDERER_JS_KB_GZIP).toFixed(2)}\n`);
