/**
 * A fresh agent has no wallet, so the dashboard opens on the first-run flow.
 * Tests about the other screens skip it, as an owner can.
 */
import type { Page } from 'playwright-core';

export async function skipFirstRun(page: Page): Promise<void> {
  await page.getByTestId('first-run-skip').click({ timeout: 30_000 });
  await page.getByTestId('screen-home').waitFor();
}
