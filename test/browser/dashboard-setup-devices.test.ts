/**
 * The first run, the Devices screen and the diagnostics export in Chromium
 * against a real agent: a wallet created from the page with two words of its
 * phrase typed back, a quick benchmark with the agent's live progress,
 * "Start earning" leaving wallet-missing behind; a benchmark and a device
 * limit from the Devices screen; a diagnostics file with no secret in it.
 * Each new screen is checked with axe-core and photographed light and dark.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardLink } from '../../agent/local-api/endpoint-file.ts';
import { blockingAccessibilityViolations } from '../support/accessibility.ts';
import { type AgentProcess, makeTempHome, REPO_ROOT, runCliSync, startAgentProcess } from '../support/agent-process.ts';
import { launchChromium, screenshotPath } from '../support/chromium.ts';

const PASSWORD = 'first-run password';
let browser: Browser;
let agent: AgentProcess;
let page: Page;
const home = makeTempHome('idlehive-setup-');
const pageErrors: string[] = [];
let phrase: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist/renderer/index.html'))) {
    throw new Error('Build the dashboard first: npm run build:renderer (npm test does this).');
  }
  // No OS keychain on test machines: the key is unlocked in the agent's memory, as on a headless rig.
  process.env.IDLEHIVE_KEYCHAIN = 'off';
  agent = await startAgentProcess(home);
  // Test machines share their CPUs; the busy-CPU rule is not under test here.
  expect(runCliSync(home, ['schedule', 'set', 'cpuBusyPercent=null']).status).toBe(0);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(dashboardLink(agent.endpoint));
  await page.getByTestId('first-run').waitFor({ timeout: 15_000 });
});

afterAll(async () => {
  await browser?.close();
  await agent?.stop();
});

async function checkAndPhotograph(name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    expect(await blockingAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath(`${name}-${scheme}`), fullPage: true });
  }
}

const agentCause = () => (JSON.parse(runCliSync(home, ['status', '--json']).stdout) as { cause: string }).cause;

describe('first run', () => {
  it('opens on the welcome while the agent has no wallet', async () => {
    expect(agentCause()).toBe('wallet-missing');
    await checkAndPhotograph('first-run-wallet');
  });

  it('creates the wallet from the page and asks for two words of the phrase back', async () => {
    await page.getByTestId('first-run-password').fill(PASSWORD);
    await page.getByTestId('first-run-password-repeat').fill('something else');
    expect(await page.getByTestId('first-run-wallet-submit').isDisabled()).toBe(true);
    await page.getByTestId('first-run-password-repeat').fill(PASSWORD);
    await page.getByTestId('first-run-wallet-submit').click();
    await page.getByTestId('recovery-phrase').waitFor({ timeout: 60_000 });
    phrase = await page.getByTestId('recovery-word').allTextContents();
    expect(phrase).toHaveLength(12);
    // The agent wrote the wallet: the CLI sees the same address.
    expect(runCliSync(home, ['wallet', 'address']).stdout).toMatch(/0x[0-9a-fA-F]{40}/);
    await checkAndPhotograph('first-run-phrase');
    await page.getByTestId('phrase-written').click();
    const inputs = page.locator('[data-testid^="confirm-word-"]');
    expect(await inputs.count()).toBe(2);
    const positions = await inputs.evaluateAll((nodes) =>
      nodes.map((node) => Number(node.getAttribute('data-testid')?.replace('confirm-word-', ''))),
    );
    // A wrong word is caught.
    await inputs.nth(0).fill('wrong');
    await inputs.nth(1).fill('words');
    await page.getByTestId('confirm-words').click();
    await page.getByTestId('confirm-error').waitFor();
    for (const [index, position] of positions.entries()) await inputs.nth(index).fill(phrase[position - 1] ?? '');
    await page.getByTestId('confirm-words').click();
    await page.getByTestId('first-run-wallet-ready').waitFor();
    // The phrase is gone from the page once confirmed.
    expect(await page.getByTestId('recovery-phrase').count()).toBe(0);
    // The key is unlocked in the agent for this session, so it no longer waits for a wallet.
    await expect.poll(agentCause, { timeout: 15_000 }).not.toBe('wallet-missing');
  }, 90_000);

  it('shows this computer and runs the quick benchmark with live progress', async () => {
    await page.getByTestId('device-report').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('cpu-cores').textContent()).toMatch(/\d+ cores, \d+ threads/);
    await page.getByTestId('first-run-benchmark').click();
    await page.getByTestId('benchmark-progress').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.getByTestId('benchmark-progress-text').textContent(), { timeout: 30_000 })
      .toMatch(/ on cpu \(cpu\): \d+ %$/);
    await checkAndPhotograph('first-run-benchmark');
    await page.getByTestId('benchmark-progress').waitFor({ state: 'detached', timeout: 120_000 });
    const estimate = await page.getByTestId('earnings-estimate').textContent();
    // Only what is known: the score (or why there is none) and the schedule; never an invented amount.
    expect(estimate).toMatch(/scored \d+|steady score/);
    expect(estimate).toContain('No amount is shown');
    await checkAndPhotograph('first-run-estimate');
  }, 180_000);

  it('starts earning: an override ends, the dashboard opens, and the agent no longer waits for a wallet', async () => {
    expect(runCliSync(home, ['pause', '--for', '2h']).status).toBe(0);
    await page.getByTestId('start-earning').click();
    await page.getByTestId('screen-home').waitFor({ timeout: 15_000 });
    const status = JSON.parse(runCliSync(home, ['status', '--json']).stdout) as { cause: string; override: unknown };
    expect(status.override).toBeNull();
    expect(status.cause).not.toBe('wallet-missing');
    expect(await page.getByTestId('agent-state').textContent()).not.toBe('paused');
  });
});

describe('Devices', () => {
  it('shows the devices and the stored benchmark, runs a quick one with progress, and stores its result', async () => {
    await page.getByTestId('nav-devices').click();
    await page.getByTestId('screen-devices').waitFor();
    await page.getByTestId('benchmark-results').waitFor({ timeout: 15_000 });
    const before = await page.getByTestId('benchmark-results').textContent();
    await page.getByTestId('run-benchmark-quick').click();
    await page.getByTestId('benchmark-progress').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('run-benchmark-full').isDisabled()).toBe(true);
    await checkAndPhotograph('devices-benchmarking');
    await page.getByTestId('benchmark-progress').waitFor({ state: 'detached', timeout: 120_000 });
    await expect.poll(() => page.getByTestId('benchmark-results').textContent()).not.toBe(before);
    expect(await page.getByTestId('benchmark-results').textContent()).toMatch(/p50|Score/);
  }, 180_000);

  it('limits the CPU’s threads and turns it off and on, as scheduler policy', async () => {
    await page.getByTestId('cpu-max-threads').fill('1');
    await page.getByTestId('save-cpu-threads').click();
    await expect.poll(() => page.getByTestId('device-save-status').textContent(), { timeout: 10_000 }).toBe('Saved.');
    const policy = () => JSON.parse(runCliSync(home, ['schedule', 'show', '--json']).stdout || '{}');
    expect(policy().devices?.cpu ?? policy().policy?.devices?.cpu).toMatchObject({ maxThreads: 1, enabled: true });
    // The box follows the agent's answer (the policy is the agent's), so click and wait for it to follow.
    const cpuSwitch = page.getByTestId('device-enabled-cpu');
    await cpuSwitch.click();
    await expect.poll(() => cpuSwitch.isChecked(), { timeout: 10_000 }).toBe(false);
    await expect.poll(() => agentCause(), { timeout: 10_000 }).toBe('devices-turned-off');
    await cpuSwitch.click();
    await expect.poll(() => cpuSwitch.isChecked(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => agentCause(), { timeout: 10_000 }).not.toBe('devices-turned-off');
    // The agent's schema words a bad limit; the screen shows that sentence.
    await page.getByTestId('cpu-max-threads').fill('0');
    await page.getByTestId('save-cpu-threads').click();
    await expect
      .poll(() => page.getByTestId('device-error').textContent(), { timeout: 10_000 })
      .toContain('maxThreads must be at least 1');
    await checkAndPhotograph('devices');
  });
});

describe('Settings: diagnostics', () => {
  it('downloads a bundle with the device report and the log, and no secret', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('screen-settings').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.getByTestId('export-diagnostics').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^idlehive-diagnostics-.+\.json$/);
    const text = fs.readFileSync((await download.path()) ?? '', 'utf8');
    const bundle = JSON.parse(text);
    expect(bundle.kind).toBe('idlehive-diagnostics');
    expect(bundle.devices.devices.cpu.logicalThreads).toBeGreaterThan(0);
    expect(bundle.log.length).toBeGreaterThan(0);
    expect(bundle.timeline.length).toBeGreaterThan(0);
    expect(text).not.toContain(agent.endpoint.token);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(phrase.join(' '));
    // Nor did the phrase or the password reach the agent's own log.
    const log = fs.readFileSync(path.join(home, 'logs', 'agent.log'), 'utf8');
    expect(log).not.toContain(phrase.join(' '));
    expect(log).not.toContain(PASSWORD);
    expect(await page.getByTestId('diagnostics-status').textContent()).toMatch(/^Saved to your downloads as /);
    await checkAndPhotograph('settings-diagnostics');
  });

  it('ran without script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
