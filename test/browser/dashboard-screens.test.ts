/**
 * Every screen of the dashboard in Chromium against a real agent: the owner's
 * overrides from the buttons, today's timeline following them, a schedule
 * painted in the grid taking effect, the graphics cards' temperature limit
 * saved and read back, the agent's refusal shown in its own words, and each screen checked with axe-core and photographed in light and
 * dark.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardLink } from '../../agent/local-api/endpoint-file.ts';
import { wallTimeAt } from '../../agent/scheduler/wall-clock.ts';
import { blockingAccessibilityViolations } from '../support/accessibility.ts';
import {
  type AgentProcess,
  CLI,
  makeTempHome,
  REPO_ROOT,
  runCliSync,
  startAgentProcess,
} from '../support/agent-process.ts';
import { launchChromium, screenshotPath } from '../support/chromium.ts';
import { skipFirstRun } from '../support/first-run.ts';

let browser: Browser;
let agent: AgentProcess;
let page: Page;
const home = makeTempHome('idlehive-screens-');
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist/renderer/index.html'))) {
    throw new Error('Build the dashboard first: npm run build:renderer (npm test does this).');
  }
  agent = await startAgentProcess(home);
  // Test machines share their CPUs, and the busy-CPU rule decides before the schedule does; it is not under test here.
  expect(runCliSync(home, ['schedule', 'set', 'cpuBusyPercent=null']).status).toBe(0);
  browser = await launchChromium();
  // axe-core's Playwright integration needs a page from an explicit context.
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(dashboardLink(agent.endpoint));
  await skipFirstRun(page);
  await page.getByTestId('agent-state').waitFor({ timeout: 15_000 });
});

afterAll(async () => {
  await browser?.close();
  await agent?.stop();
});

const state = () => page.getByTestId('agent-state').textContent();
const reason = () => page.getByTestId('agent-reason').textContent();
const timelineStates = () => page.getByTestId('timeline-state').allTextContents();

async function showScreen(id: 'home' | 'earnings' | 'devices' | 'schedule' | 'wallet' | 'settings') {
  await page.getByTestId(`nav-${id}`).click();
  await page.getByTestId(`screen-${id}`).waitFor();
}

describe('First run, skipped', () => {
  it('is remembered by the agent: a reload opens the dashboard, not the first-run steps', async () => {
    expect(JSON.parse(runCliSync(home, ['settings', 'get', '--json']).stdout).firstRun).toBe('skipped');
    await page.reload();
    await page.locator('[data-first-run="done"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('first-run').count()).toBe(0);
    await page.getByTestId('screen-home').waitFor();
    // A second page (another window or browser) agrees: the choice lives in the agent, not in this page.
    const other = await page.context().newPage();
    await other.goto(dashboardLink(agent.endpoint));
    await other.locator('[data-first-run="done"]').waitFor({ timeout: 15_000 });
    expect(await other.getByTestId('first-run').count()).toBe(0);
    await other.close();
  });
});

describe('Home', () => {
  it('shows the state, the reason and today’s timeline from the agent', async () => {
    await expect.poll(() => state(), { timeout: 15_000 }).toBe('no-work');
    // The reason is the agent's sentence, shown verbatim (the same one `idlehive status` prints).
    const status = JSON.parse(runCliSync(home, ['status', '--json']).stdout) as { reason: string };
    expect(await reason()).toBe(status.reason);
    await page.getByTestId('timeline-list').waitFor();
    expect(await timelineStates()).toContain('No work right now');
    expect(await page.getByTestId('timeline-summary').textContent()).toMatch(/^Today so far: no work right now /);
  });

  it('pauses for an hour from the button, shows until when, and resumes', async () => {
    await page.getByTestId('pause-1h').click();
    await expect.poll(() => state(), { timeout: 10_000 }).toBe('paused');
    // An hour from 23:00 on is tomorrow, and the reason says so.
    expect(await reason()).toMatch(/^Paused until (tomorrow )?\d\d:\d\d \(you paused it\)$/);
    expect(await page.getByTestId('override-until').textContent()).toMatch(/\d\d:\d\d/);
    // The timeline follows the status push: the newest entry is the pause.
    await expect.poll(() => timelineStates().then((states) => states[0])).toBe('Paused');
    // The CLI sees the same override: the agent owns it, not the page.
    expect(runCliSync(home, ['status']).stdout).toMatch(/Paused until/);
    await page.getByTestId('resume').click();
    await expect.poll(() => state(), { timeout: 10_000 }).toBe('no-work');
  });

  it('pauses until tomorrow and until resumed', async () => {
    await page.getByTestId('pause-until-tomorrow').click();
    await expect.poll(() => reason(), { timeout: 10_000 }).toMatch(/^Paused until tomorrow 00:00 \(you paused it\)$/);
    await page.getByTestId('pause-until-resumed').click();
    await expect.poll(() => reason(), { timeout: 10_000 }).toBe('Paused until you resume (you paused it)');
    expect(await page.getByTestId('override-until').textContent()).toBe('you resume');
    await page.getByTestId('resume').click();
    await expect.poll(() => state(), { timeout: 10_000 }).toBe('no-work');
  });

  it('earns now for 30 minutes on request, with its end shown, and goes back to the schedule', async () => {
    await page.getByTestId('earn-30m').click();
    await expect.poll(() => page.getByTestId('resume').textContent(), { timeout: 10_000 }).toBe('Back to my schedule');
    const until = await page.getByTestId('override-until').textContent();
    expect(until).toMatch(/^(tomorrow )?\d\d:\d\d$|\d\d:\d\d$/);
    expect(await page.textContent('body')).toContain('Earning now until');
    await page.getByTestId('resume').click();
    await page.getByTestId('pause-15m').waitFor();
  });

  it('asks to finish the job, then pause', async () => {
    await page.getByTestId('finish-then-pause').click();
    // No job runs here, so the pause starts at once.
    await expect.poll(() => state(), { timeout: 10_000 }).toBe('paused');
    expect(await reason()).toBe('Paused until you resume: the last job finished, as you asked');
    await page.getByTestId('resume').click();
    await expect.poll(() => state(), { timeout: 10_000 }).toBe('no-work');
  });
});

describe('Earnings', () => {
  it('shows the agent’s jobs, and says what will appear while there are none', async () => {
    await showScreen('earnings');
    await page.getByTestId('earnings-totals').waitFor();
    // A fresh agent has leased nothing; the list says so rather than showing made-up rows.
    expect(await page.getByTestId('jobs-empty').textContent()).toContain('No jobs yet');
    expect(await page.getByTestId('earnings-totals').textContent()).toContain('0 tHIVE');
  });

  it('explains the empty chart for every range, and switches ranges from the keyboard', async () => {
    expect(await page.getByTestId('earnings-chart-empty').textContent()).toContain(
      'Nothing was credited over the last 7 days',
    );
    await page.getByTestId('earnings-range-7d').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('earnings-range-30d');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('earnings-range-30d').getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(() => page.getByTestId('earnings-chart-empty').textContent(), { timeout: 10_000 })
      .toContain('over the last 30 days');
    await page.getByTestId('earnings-range-all').click();
    await expect
      .poll(() => page.getByTestId('earnings-chart-empty').textContent(), { timeout: 10_000 })
      .toContain('Nothing has been credited to this computer yet');
    await page.getByTestId('earnings-range-7d').click();
  });
});

describe('Schedule', () => {
  it('paints a window with the mouse that does not include now; saving it makes the agent wait', async () => {
    await showScreen('schedule');
    const zone = await page.getByTestId('time-zone').inputValue();
    const today = wallTimeAt(Date.now(), zone).weekdayIndex;
    const otherDay = (today + 3) % 7;
    await page.getByTestId('schedule-enabled').check();
    // Drag across four half hours, 02:00 to 04:00, on a day that is not today.
    const first = page.locator(`[data-cell="${otherDay}-4"]`);
    const last = page.locator(`[data-cell="${otherDay}-7"]`);
    const from = await first.boundingBox();
    const to = await last.boundingBox();
    if (from === null || to === null) throw new Error('grid cells are not on screen');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await page.mouse.up();
    expect(await page.locator('[data-testid="week-grid"] [aria-selected="true"]').count()).toBe(4);
    await page.getByTestId('save-schedule').click();
    await expect
      .poll(() => page.getByTestId('schedule-save-status').textContent(), { timeout: 10_000 })
      .toContain('Saved');
    const saved = JSON.parse(runCliSync(home, ['schedule', 'show', '--json']).stdout || '{}');
    expect(saved.schedule ?? saved.policy?.schedule).toMatchObject({
      enabled: true,
      windows: [{ startMinute: 120, endMinute: 240 }],
    });
    await showScreen('home');
    await expect.poll(() => state(), { timeout: 10_000 }).toBe('waiting');
    expect(await reason()).toMatch(/schedule/);
    await expect.poll(() => timelineStates().then((states) => states[0])).toBe('Waiting');
  });

  it('is operable from the keyboard: arrows move, Space paints, Shift+arrow paints along', async () => {
    await showScreen('schedule');
    const painted = () => page.locator('[data-testid="week-grid"] [aria-selected="true"]').count();
    const before = await painted();
    await page.locator('[data-testid="week-grid"] td[tabindex="0"]').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    expect(await painted()).toBe(before + 3);
    await page.keyboard.press('Space');
    expect(await painted()).toBe(before + 2);
    await page.getByRole('button', { name: 'Discard changes' }).click();
    expect(await painted()).toBe(before);
  });

  it('shows the agent’s own sentence when it refuses a value', async () => {
    await page.getByTestId('idle-minutes').fill('0');
    await page.getByTestId('save-schedule').click();
    await expect
      .poll(() => page.getByTestId('schedule-error').textContent(), { timeout: 10_000 })
      .toContain('idleMinutes must be at least 1');
    await page.getByTestId('idle-minutes').fill('ten');
    await page.getByTestId('save-schedule').click();
    await expect
      .poll(() => page.getByTestId('schedule-error').textContent(), { timeout: 10_000 })
      .toContain('idleMinutes must be a number');
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('sets the limit for every graphics card from the keyboard; the agent stores it and refuses one out of range', async () => {
    await showScreen('schedule');
    const limit = page.getByLabel('Rest graphics cards hotter than (°C)');
    expect(await limit.inputValue()).toBe('83');
    expect(await limit.getAttribute('aria-describedby')).toBeTruthy();
    await limit.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('130');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('schedule-error').textContent(), { timeout: 10_000 })
      .toContain('gpuTemperatureLimitC must be between 40 and 110 °C');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('76');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('schedule-save-status').textContent(), { timeout: 10_000 })
      .toContain('Saved');
    const saved = JSON.parse(runCliSync(home, ['schedule', 'show', '--json']).stdout || '{}');
    expect(saved.gpuTemperatureLimitC).toBe(76);
    // A change from another client shows on the screen while the owner is not editing.
    expect(runCliSync(home, ['schedule', 'set', '--gpu-temperature-limit', '80']).status).toBe(0);
    await expect.poll(() => limit.inputValue(), { timeout: 10_000 }).toBe('80');
  });

  it('turning the schedule off lets the agent go back to its own decision', async () => {
    await page.getByTestId('schedule-enabled').uncheck();
    await page.getByTestId('save-schedule').click();
    await showScreen('home');
    await expect.poll(() => state(), { timeout: 10_000 }).toBe('no-work');
  });
});

describe('Wallet', () => {
  const password = 'correct horse battery staple';

  it('explains how to get a wallet while there is none', async () => {
    await showScreen('wallet');
    await page.getByTestId('wallet-missing').waitFor();
    expect(await page.getByTestId('wallet-missing').textContent()).toContain('idlehive wallet create');
  });

  it('shows a wallet created in a terminal, and unlocks it from the page so the agent can earn', async () => {
    // The password goes to the CLI on stdin, as a script would give it; never through the page.
    const created = spawnSync(process.execPath, [CLI, '--home', home, 'wallet', 'create', '--json'], {
      cwd: REPO_ROOT,
      input: `${password}\n`,
      encoding: 'utf8',
      env: { ...process.env, IDLEHIVE_HOME: undefined },
    });
    expect(created.status, created.stderr).toBe(0);
    const { address } = JSON.parse(created.stdout) as { address: string };
    await showScreen('home');
    await showScreen('wallet');
    await expect.poll(() => page.getByTestId('wallet-address').textContent(), { timeout: 10_000 }).toBe(address);
    const walletStatus = JSON.parse(runCliSync(home, ['wallet', 'address', '--json']).stdout || '{}');
    expect(JSON.stringify(walletStatus)).toContain(address);
    const unlock = page.getByLabel('Wallet password');
    if (await unlock.isVisible()) {
      await unlock.fill('not the password');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 10_000 }).toMatch(/\w/);
      await unlock.fill(password);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await expect.poll(() => unlock.isVisible(), { timeout: 15_000 }).toBe(false);
    }
    // With a wallet that can sign, the agent no longer waits for one.
    await expect
      .poll(() => JSON.parse(runCliSync(home, ['status', '--json']).stdout).cause, { timeout: 15_000 })
      .not.toBe('wallet-missing');
    await page.getByTestId('wallet-balances').waitFor();
  });

  it('reviews a withdrawal before anything is sent, and shows the agent’s answer when there is nothing to withdraw', async () => {
    await page.getByRole('button', { name: 'Review withdrawal' }).click();
    // Nothing has been earned on this fresh machine, so the agent refuses in its own words; no transaction exists.
    await expect.poll(() => page.getByTestId('wallet-error').textContent(), { timeout: 15_000 }).toMatch(/\w/);
    expect(await page.getByTestId('withdrawals').count()).toBe(0);
  });
});

describe('Settings', () => {
  it('refuses a bad coordinator address with the agent’s sentence, and saves a good one', async () => {
    await showScreen('settings');
    await page.getByTestId('coordinator-url').fill('ftp://example.org');
    await page.getByTestId('save-endpoints').click();
    await expect
      .poll(() => page.getByTestId('settings-error').textContent(), { timeout: 10_000 })
      .toContain('http:// or https://');
    await page.getByTestId('coordinator-url').fill('https://coordinator.example.org');
    await page.getByTestId('save-endpoints').click();
    await expect
      .poll(() => runCliSync(home, ['settings', 'get', '--json']).stdout, { timeout: 10_000 })
      .toContain('https://coordinator.example.org');
    await page.getByTestId('coordinator-url').fill('');
    await page.getByTestId('save-endpoints').click();
    await expect.poll(() => runCliSync(home, ['settings', 'get', '--json']).stdout).toContain('"coordinatorUrl": null');
  });

  it('says start at login is a desktop-app setting in the browser, and where the logs are', async () => {
    expect(await page.getByTestId('start-at-login').isDisabled()).toBe(true);
    expect(await page.getByTestId('start-at-login-hint').textContent()).toContain('desktop app');
    expect(await page.getByTestId('log-folder').textContent()).toContain('logs/agent.log');
  });

  it('changes the theme, and the page follows it', async () => {
    // The radio follows the agent's answer (the setting is the agent's), so click and wait for the page to follow.
    await page.getByLabel('Dark').click({ force: true });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(runCliSync(home, ['settings', 'get', '--json']).stdout).toContain('"theme": "dark"');
    await page.getByLabel('System').click({ force: true });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('system');
  });
});

describe('every screen, light and dark', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const screen of ['home', 'earnings', 'devices', 'schedule', 'wallet', 'settings'] as const) {
      it(`${screen} in ${scheme}: no serious or critical axe findings, and a screenshot`, async () => {
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
        await showScreen(screen);
        if (screen === 'home') await page.getByTestId('timeline-list').waitFor();
        // The chart's empty state (nothing earned on this fresh agent) is part of the screen under test.
        if (screen === 'earnings') await page.getByTestId('earnings-chart-empty').waitFor({ timeout: 15_000 });
        if (screen === 'devices') await page.getByTestId('device-setting-cpu').waitFor({ timeout: 30_000 });
        expect(await blockingAccessibilityViolations(page)).toEqual([]);
        await page.screenshot({ path: screenshotPath(`${screen}-${scheme}`), fullPage: true });
      });
    }
  }

  it('moves focus to each screen’s heading and marks the current link', async () => {
    await showScreen('home');
    await showScreen('schedule');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('screen-heading');
    expect(await page.getByTestId('nav-schedule').getAttribute('aria-current')).toBe('page');
    await page.goBack();
    await page.getByTestId('screen-home').waitFor();
  });

  it('ran without script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
  });
});
