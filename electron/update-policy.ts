/**
 * Whether the desktop app checks for updates, and where. Off unless a feed is
 * configured: the owner's `updateFeedUrl` setting (an electron-builder
 * "generic" feed, https only), or the feed electron-builder built into the
 * installer when electron-builder.yml had a `publish` provider (it then writes
 * resources/app-update.yml, which electron-updater reads). Never in a
 * development run, and never on a Linux install electron-updater cannot
 * replace (neither an AppImage nor a package it knows). Pure, so every case is
 * tested; app-updater.ts acts on the answer.
 */

export interface UpdateFacts {
  /** app.isPackaged: false under `electron .`, where there is no installer to replace. */
  isPackaged: boolean;
  /** The agent's `updateFeedUrl` setting; null when unset or not yet known. */
  feedUrlSetting: string | null;
  /** resources/app-update.yml exists: the installer was built with a `publish` provider. */
  hasBuiltInFeed: boolean;
  platform: NodeJS.Platform;
  /** $APPIMAGE: set by the AppImage runtime to the file being run. */
  appImagePath: string | undefined;
  /** The contents of resources/package-type (deb, rpm, pacman), written by electron-builder for those packages. */
  linuxPackageType: string | null;
}

export type UpdateFeed = { kind: 'setting'; url: string } | { kind: 'built-in' };

export type UpdatePlan = { check: true; feed: UpdateFeed } | { check: false; reason: string };

/** The Linux package formats electron-updater can install over (electron-updater's main.js). */
const UPDATABLE_LINUX_PACKAGES: ReadonlySet<string> = new Set(['deb', 'rpm', 'pacman']);

/** How often a running app asks the feed again. */
export const UPDATE_CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

export function planUpdates(facts: UpdateFacts): UpdatePlan {
  if (!facts.isPackaged) return { check: false, reason: 'a development run has no installer to update' };
  if (
    facts.platform === 'linux' &&
    !facts.appImagePath &&
    !UPDATABLE_LINUX_PACKAGES.has(facts.linuxPackageType?.trim() ?? '')
  ) {
    return { check: false, reason: 'this Linux install is neither an AppImage nor a package Idlehive can update' };
  }
  // The owner's setting wins: it is how a build without a built-in feed, or a test channel, gets updates.
  if (facts.feedUrlSetting !== null && isHttpsUrl(facts.feedUrlSetting)) {
    return { check: true, feed: { kind: 'setting', url: facts.feedUrlSetting } };
  }
  if (facts.hasBuiltInFeed) return { check: true, feed: { kind: 'built-in' } };
  return { check: false, reason: 'no update feed is configured (updateFeedUrl, or publish in electron-builder.yml)' };
}

/** The agent validates the setting already; this guards the one place a URL reaches the updater. */
function isHttpsUrl(text: string): boolean {
  return URL.canParse(text) && new URL(text).protocol === 'https:';
}

/** Equal for two plans that configure the updater the same way, so a settings push that changed nothing else is a no-op. */
export function updatePlanKey(plan: UpdatePlan): string {
  if (!plan.check) return 'off';
  return plan.feed.kind === 'setting' ? `setting:${plan.feed.url}` : 'built-in';
}
