import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardLink } from '../../agent/local-api/endpoint-file.ts';
import { type AgentProcess, makeTempHome, REPO_ROOT, runCliSync, startAgentProcess } from '../support/agent-process.ts';
import { launchChromium, screenshotPath } from '../support/chromium.ts';
import { skipFirstRun } from '../support/first-run.ts';
import { freePort } from '../support/free-port.ts';

let browser: Browser;
let agent: AgentProcess;
let page: Page;
let port: number;
const home = makeTempHome('idlehive-browser-');
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist/renderer/index.html'))) {
    throw new Error('Build the dashboard first: npm run build:renderer (npm test does this).');
  }
  port = await freePort();
  agent = await startAgentProcess(home, ['--port', String(port)]);
  // Test machines share their CPUs, and the busy-CPU rule would pause earning before the states under test.
  expect(runCliSync(home, ['schedule', 'set', 'cpuBusyPercent=null']).status).toBe(0);
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
});

afterAll(async () => {
  await browser?.close();
  await agent?.stop();
});

const state = () => page.getByTestId('agent-state');

describe('the dashboard in Chromium', () => {
  it('shows the live status and takes the token out of the address bar', async () => {
    await page.goto(dashboardLink(agent.endpoint));
    await skipFirstRun(page);
    await expect.poll(() => state().textContent(), { timeout: 15_000 }).toBe('no-work');
    expect(page.url()).not.toContain(agent.endpoint.token);
    // The agent's sentence, verbatim: the same one `idlehive status` prints.
    const status = JSON.parse(runCliSync(home, ['status', '--json']).stdout) as { reason: string };
    expect(await page.getByTestId('agent-reason').textContent()).toBe(status.reason);
  });

  it('changes live when `idlehive pause` runs in a terminal', async () => {
    const cli = runCliSync(home, ['pause', '--for', '2h']);
    expect(cli.status).toBe(0);
    await expect.poll(() => state().textContent(), { timeout: 10_000 }).toBe('paused');
    expect(await page.getByTestId('agent-reason').textContent()).toMatch(/^Paused until .+ \(you paused it\)$/);
    await page.screenshot({ path: screenshotPath('dashboard-paused'), fullPage: true });
    expect(runCliSync(home, ['resume']).status).toBe(0);
    await expect.poll(() => state().textContent(), { timeout: 10_000 }).toBe('no-work');
  });

  it('reconnects by itself after the agent restarts', async () => {
    await agent.kill();
    await expect
      .poll(() => page.getByTestId('connection-state').textContent(), { timeout: 10_000 })
      .not.toBe('connected');
    agent = await startAgentProcess(home, ['--port', String(port)]);
    await expect.poll(() => page.getByTestId('connection-state').textContent(), { timeout: 20_000 }).toBe('connected');
    runCliSync(home, ['pause']);
    await expect.poll(() => state().textContent(), { timeout: 10_000 }).toBe('paused');
    await page.screenshot({ path: screenshotPath('dashboard-after-restart'), fullPage: true });
  });

  it('refuses a wrong token with a screen that says what to do', async () => {
    const other = await browser.newPage();
    await other.goto(`${agent.endpoint.dashboardUrl}#token=${'0'.repeat(64)}`);
    await expect
      .poll(() => other.getByTestId('connection-state').textContent(), { timeout: 10_000 })
      .toBe('unauthorized');
    expect(await other.textContent('body')).toContain('idlehive dashboard');
    await other.close();
  });

  it('ran without CSP violations or script errors', () => {
    // While the agent was down (restart test) refused connections are expected; anything else is a defect.
    const expectedWhileDown = /WebSocket connection to .* failed|net::ERR_CONNECTION_REFUSED/;
    expect(consoleErrors.filter((e) => !expectedWhileDown.test(e))).toEqual([]);
  });
});
