/**
 * app-updater.ts against a stand-in for electron-updater's AppUpdater (the
 * real one needs Electron's app and net modules): which calls each plan makes,
 * and that no updater failure escapes into main.
 */
import { EventEmitter } from 'node:events';
import type { AppUpdater } from 'electron-updater';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppUpdater } from './app-updater.ts';

class StandInUpdater extends EventEmitter {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  logger: unknown = null;
  updateConfigPath = '';
  feeds: unknown[] = [];
  checks = 0;
  installs = 0;
  failCheck: Error | null = null;
  setFeedURL(options: unknown): void {
    this.feeds.push(options);
  }
  async checkForUpdates(): Promise<null> {
    this.checks += 1;
    if (this.failCheck !== null) throw this.failCheck;
    return null;
  }
  quitAndInstall(): void {
    this.installs += 1;
    throw new Error('no update downloaded');
  }
}

const FEED = 'https://updates.example.org/idlehive';

function setUp() {
  const standIn = new StandInUpdater();
  const created = vi.fn(() => standIn as unknown as AppUpdater);
  const lines: string[] = [];
  const ready: string[] = [];
  const control = createAppUpdater({
    updater: created,
    builtInFeedFile: '/opt/Idlehive/resources/app-update.yml',
    onReady: (version) => ready.push(version),
    log: (line) => lines.push(line),
    everyMs: 60_000,
  });
  return { standIn, created, lines, ready, control };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createAppUpdater', () => {
  it('never creates the updater while the plan is off', () => {
    const { created, lines, control } = setUp();
    control.apply({ check: false, reason: 'no update feed is configured' });
    control.installNow();
    expect(created).not.toHaveBeenCalled();
    expect(lines).toEqual(['updates off: no update feed is configured']);
  });

  it('points the updater at the owner’s feed, checks now and on the interval, and reports a download', async () => {
    vi.useFakeTimers();
    const { standIn, ready, control } = setUp();
    control.apply({ check: true, feed: { kind: 'setting', url: FEED } });
    expect(standIn.feeds).toEqual([{ provider: 'generic', url: FEED }]);
    expect(standIn).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true, checks: 1 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(standIn.checks).toBe(2);
    standIn.emit('update-downloaded', { version: '0.2.0' });
    expect(ready).toEqual(['0.2.0']);
    control.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(standIn.checks).toBe(2);
  });

  it('does nothing for the same plan again, and goes back to the built-in feed by its file', () => {
    const { standIn, created, control } = setUp();
    control.apply({ check: true, feed: { kind: 'setting', url: FEED } });
    control.apply({ check: true, feed: { kind: 'setting', url: FEED } });
    expect(standIn.checks).toBe(1);
    control.apply({ check: true, feed: { kind: 'built-in' } });
    expect(standIn.updateConfigPath).toBe('/opt/Idlehive/resources/app-update.yml');
    expect(standIn.checks).toBe(2);
    expect(created).toHaveBeenCalledTimes(1);
    control.stop();
  });

  it('logs every failure and throws none: a failed check, an error event, an install without an update', async () => {
    const { standIn, lines, control } = setUp();
    standIn.failCheck = new Error('net::ERR_NAME_NOT_RESOLVED');
    control.apply({ check: true, feed: { kind: 'built-in' } });
    await vi.waitFor(() => expect(lines).toContain('update check failed: net::ERR_NAME_NOT_RESOLVED'));
    expect(() => standIn.emit('error', new Error('sha512 checksum mismatch'))).not.toThrow();
    expect(lines).toContain('update check failed: sha512 checksum mismatch');
    expect(() => control.installNow()).not.toThrow();
    expect(lines).toContain('could not install the update: no update downloaded');
    control.stop();
  });

  it('stays off when the updater cannot be created', () => {
    const lines: string[] = [];
    const control = createAppUpdater({
      updater: () => {
        throw new Error('ENOENT: app-update.yml');
      },
      builtInFeedFile: '/x/app-update.yml',
      onReady: () => {},
      log: (line) => lines.push(line),
    });
    expect(() => control.apply({ check: true, feed: { kind: 'built-in' } })).not.toThrow();
    expect(lines).toEqual(['updates off: the updater could not start (ENOENT: app-update.yml)']);
  });
});
