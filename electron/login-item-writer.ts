/** Applies the owner's start-at-login setting to the OS (the plan itself is login-item.ts, tested without Electron). */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { App } from 'electron';
import type { Settings } from '../agent/local-api/contract.ts';
import { type LoginItemFacts, type LoginItemPlan, planLoginItem } from './login-item.ts';

export async function applyLoginItemPlan(plan: LoginItemPlan, app: Pick<App, 'setLoginItemSettings'>): Promise<void> {
  if (plan.kind === 'electron-login-item') {
    app.setLoginItemSettings({ openAtLogin: plan.openAtLogin, args: plan.args });
    return;
  }
  if (plan.contents === null) {
    await fs.rm(plan.file, { force: true });
    return;
  }
  await fs.mkdir(path.dirname(plan.file), { recursive: true });
  await fs.writeFile(plan.file, plan.contents, { mode: 0o644 });
}

/** A settings listener that changes the OS login item only when `startAtLogin` changed (and retries after a failure). */
export function createStartAtLoginFollower(
  app: Pick<App, 'setLoginItemSettings'>,
  facts: LoginItemFacts & { log(message: string): void },
): (settings: Settings) => void {
  let applied: boolean | null = null;
  return (settings) => {
    if (settings.startAtLogin === applied) return;
    applied = settings.startAtLogin;
    applyLoginItemPlan(planLoginItem(settings.startAtLogin, facts), app).catch((error: unknown) => {
      applied = null; // Try again with the next settings push.
      facts.log(`could not change start at login: ${String(error)}`);
    });
  };
}
