/**
 * The owner's whole way in Chromium, on the local network `npm start` runs
 * (anvil with the payout vault, the coordinator with its relayer, the demo
 * requester's real jobs and the honest peer provider) and a fresh agent
 * process pointed at it, with no wallet:
 *  - the first run from the page to "earning": a wallet created and its
 *    phrase confirmed, the quick benchmark with live progress, the estimate,
 *    Start earning; the owner is away, as the desktop shell reports it;
 *  - a job completing: it appears as verified and credited with its reward,
 *    and the Earnings chart draws it (its range picked from the keyboard);
 *  - the Devices screen's benchmark history holding the first run's result;
 *  - a withdrawal from the Wallet screen, reviewed with its fee and
 *    confirmed on the chain (relayed: the new wallet has no gas).
 * Each state is checked with axe-core and photographed light and dark.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLocalApi, type LocalApiConnection } from '../../agent/local-api/client.ts';
import { dashboardLink } from '../../agent/local-api/endpoint-file.ts';
import { type LocalNetwork, startLocalNetwork } from '../../network/local-network/start-local-network.ts';
import { blockingAccessibilityViolations } from '../support/accessibility.ts';
import { type AgentProcess, makeTempHome, REPO_ROOT, runCliSync, startAgentProcess } from '../support/agent-process.ts';
import { launchChromium, screenshotPath } from '../support/chromium.ts';

const PASSWORD = 'earning-flow password';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-browser-network-'));
const home = makeTempHome('idlehive-browser-earning-');
let network: LocalNetwork;
let agent: AgentProcess;
let shell: LocalApiConnection;
let awayTimer: NodeJS.Timeout | undefined;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist/renderer/index.html'))) {
    throw new Error('Build the dashboard first: npm run build:renderer (npm test does this).');
  }
  network = await startLocalNetwork({ dataDir, log: { notice: () => {}, info: () => {}, warn: () => {} } });
  // No OS keychain on test machines: the key is unlocked in the agent's memory, as on a headless rig.
  process.env.IDLEHIVE_KEYCHAIN = 'off';
  agent = await startAgentProcess(home, [
    '--port',
    '0',
    '--network',
    network.coordinatorUrl,
    '--chain-rpc',
    network.chain.rpcUrl,
  ]);
  // This machine is shared (and runs the peer provider too): other programs' load must not pause the agent here.
  expect(runCliSync(home, ['schedule', 'set', 'cpuBusyPercent=null']).status).toBe(0);
  // The desktop shell's part: the owner is away, reported as often as Electron main would.
  shell = await connectLocalApi({ url: agent.endpoint.apiUrl, token: agent.endpoint.token });
  awayTimer = setInterval(() => {
    void shell
      .call('signals.shell.report', { signals: { hasInputSource: true, idleSeconds: 3600, isOnBattery: false } })
      .catch(() => {});
  }, 250);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(dashboardLink(agent.endpoint));
  await page.getByTestId('first-run').waitFor({ timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  clearInterval(awayTimer);
  shell?.close();
  await browser?.close();
  await agent?.stop();
  await network?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function checkAndPhotograph(name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    expect(await blockingAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath(`${name}-${scheme}`), fullPage: true });
  }
}

async function showScreen(id: 'home' | 'earnings' | 'devices' | 'wallet') {
  await page.getByTestId(`nav-${id}`).click();
  await page.getByTestId(`screen-${id}`).waitFor();
}

const agentStatus = () => JSON.parse(runCliSync(home, ['status', '--json']).stdout) as { state: string; cause: string };

describe('from the first run to a withdrawal, on the local network', () => {
  it('goes through the first run to earning', async () => {
    expect(agentStatus().cause).toBe('wallet-missing');
    await page.getByTestId('first-run-password').fill(PASSWORD);
    await page.getByTestId('first-run-password-repeat').fill(PASSWORD);
    await page.getByTestId('first-run-wallet-submit').click();
    await page.getByTestId('recovery-phrase').waitFor({ timeout: 60_000 });
    const phrase = await page.getByTestId('recovery-word').allTextContents();
    await page.getByTestId('phrase-written').click();
    const inputs = page.locator('[data-testid^="confirm-word-"]');
    const positions = await inputs.evaluateAll((nodes) =>
      nodes.map((node) => Number(node.getAttribute('data-testid')?.replace('confirm-word-', ''))),
    );
    for (const [index, position] of positions.entries()) await inputs.nth(index).fill(phrase[position - 1] ?? '');
    await page.getByTestId('confirm-words').click();
    await page.getByTestId('first-run-wallet-ready').waitFor();

    await page.getByTestId('device-report').waitFor({ timeout: 30_000 });
    await page.getByTestId('first-run-benchmark').click();
    await page.getByTestId('benchmark-progress').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.getByTestId('benchmark-progress-text').textContent(), { timeout: 60_000 })
      .toMatch(/ \d+ %$/);
    await page.getByTestId('benchmark-progress').waitFor({ state: 'detached', timeout: 180_000 });
    expect(await page.getByTestId('earnings-estimate').textContent()).toMatch(/scored \d+|steady score/);

    await page.getByTestId('start-earning').click();
    await page.getByTestId('screen-home').waitFor({ timeout: 15_000 });
    // Remembered by the agent: the steps are over for good.
    expect(JSON.parse(runCliSync(home, ['settings', 'get', '--json']).stdout).firstRun).toBe('finished');
    // The agent leases a demo job and runs it: the page says so from the pushed status.
    await expect.poll(() => page.getByTestId('agent-state').textContent(), { timeout: 180_000 }).toBe('earning');
    await checkAndPhotograph('home-earning');
  }, 420_000);

  it('shows a completed job as verified with its reward, and the chart draws it', async () => {
    await showScreen('earnings');
    const verifiedRow = page.locator('[data-testid="jobs"] tr', { hasText: 'Verified and credited' }).first();
    await verifiedRow.waitFor({ timeout: 300_000 });
    expect(await verifiedRow.textContent()).toMatch(/\d[\d.]* tHIVE/);
    // The totals, summed by the agent over its whole ledger, follow the same earnings event.
    await expect
      .poll(() => page.getByTestId('earnings-totals').textContent(), { timeout: 15_000 })
      .toMatch(/Last 24 hours\s*(?!0 tHIVE)[\d.]+ tHIVE.*All time/);
    // The chart followed the credit (the agent's earnings event), over the default 7 days.
    await page.getByTestId('earnings-chart').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('earnings-chart-summary').textContent()).toMatch(
      /^Bar chart of tHIVE credited per day over the last 7 days: [\d.]+ tHIVE from \d+ jobs?\./,
    );
    // The range buttons work from the keyboard.
    await page.getByTestId('earnings-range-7d').focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('earnings-range-24h').getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(() => page.getByTestId('earnings-chart-summary').textContent(), { timeout: 15_000 })
      .toMatch(/per hour over the last 24 hours: [\d.]+ tHIVE/);
    // Drawn after the sentence: a new series (each credit brings one) replaces the canvas in an effect.
    await expect.poll(() => page.locator('[data-testid="earnings-chart"] canvas').count(), { timeout: 15_000 }).toBe(1);
    // A redraw (here for a theme change; a new series does the same) never leaves the chart without a canvas.
    const framesWithoutChart = await page.evaluate(async () => {
      const plot = document.querySelector('[data-testid="earnings-chart"]') as HTMLElement;
      const before = plot.querySelector('canvas');
      let empty = 0;
      const observer = new MutationObserver(() => {
        if (plot.querySelectorAll('canvas').length === 0) empty += 1;
      });
      observer.observe(plot, { childList: true, subtree: true });
      const root = document.documentElement;
      const theme = root.dataset.theme;
      root.dataset.theme = theme === 'dark' ? 'light' : 'dark';
      await new Promise<void>((resolve) => {
        const waitForRedraw = () => {
          const canvas = plot.querySelector('canvas');
          if (canvas !== null && canvas !== before) resolve();
          else setTimeout(waitForRedraw, 10);
        };
        waitForRedraw();
      });
      observer.disconnect();
      if (theme !== undefined) root.dataset.theme = theme;
      return empty;
    });
    expect(framesWithoutChart).toBe(0);
    // The table alternative holds every hour.
    await page.getByText('Show the figures as a table').click();
    expect(await page.locator('[data-testid="earnings-chart-table"] tbody tr').count()).toBe(24);
    await checkAndPhotograph('earnings-chart');
    // Home shows the same credit at a glance: today, the last 7 days, and a rate per hour of earning.
    await showScreen('home');
    await expect
      .poll(() => page.getByTestId('earned-today').textContent(), { timeout: 15_000 })
      .toMatch(/^[\d.]+ tHIVE$/);
    expect(await page.getByTestId('earned-today').textContent()).not.toBe('0 tHIVE');
    expect(await page.getByTestId('earned-week').textContent()).not.toBe('0 tHIVE');
    expect(await page.getByTestId('earning-rate').textContent()).toMatch(/^[\d.]+ tHIVE$|^Not yet known$/);
    await checkAndPhotograph('home-earned');
  }, 360_000);

  it('lists the first run’s benchmark in the Devices screen’s history', async () => {
    await showScreen('devices');
    await page.getByTestId('benchmark-history-cpu').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('benchmark-history-cpu').textContent()).toMatch(
      /quick · (score \d+|no steady score)/,
    );
    await checkAndPhotograph('devices-history');
  });

  it('withdraws from the Wallet screen: the fee is shown first, and the withdrawal is confirmed on the chain', async () => {
    await showScreen('wallet');
    await page.getByTestId('wallet-balances').waitFor({ timeout: 30_000 });
    // The agent reads the coordinator's voucher every 15 s; until one covers the credit there is nothing to withdraw.
    const review = page.getByRole('button', { name: 'Review withdrawal' });
    const deadline = Date.now() + 120_000;
    for (;;) {
      await review.click();
      const planned = await page
        .getByTestId('withdrawal-plan')
        .waitFor({ timeout: 15_000 })
        .then(() => true)
        .catch(() => false);
      if (planned) break;
      if (Date.now() > deadline) {
        throw new Error(`no withdrawal could be planned: ${await page.getByTestId('wallet-error').textContent()}`);
      }
      await page.waitForTimeout(5_000);
    }
    expect(await page.getByTestId('withdrawal-plan').textContent()).toMatch(/Relay fee.*tHIVE/);
    await checkAndPhotograph('wallet-withdrawal-review');
    await page.getByRole('button', { name: /^Withdraw / }).click();
    await expect.poll(() => page.getByTestId('withdrawals').textContent(), { timeout: 120_000 }).toMatch(/^Confirmed/);
    expect(await page.getByTestId('withdrawals').textContent()).toMatch(/Transaction 0x[0-9a-f]{64}/);
    await checkAndPhotograph('wallet-withdrawal-confirmed');
  }, 300_000);

  it('ran without script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
