/**
 * Launches Debian's Chromium through playwright-core (never a downloaded
 * browser), headless, with the flags this offline machine needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_PATH } from '../../tools/ensure-chromium.ts';
import { REPO_ROOT } from './agent-process.ts';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output/screenshots');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}
