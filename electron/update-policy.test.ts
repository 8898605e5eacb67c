import { describe, expect, it } from 'vitest';
import { planUpdates, type UpdateFacts, type UpdatePlan, updatePlanKey } from './update-policy.ts';

const PACKAGED_WINDOWS: UpdateFacts = {
  isPackaged: true,
  feedUrlSetting: null,
  hasBuiltInFeed: false,
  platform: 'win32',
  appImagePath: undefined,
  linuxPackageType: null,
};

const FEED = 'https://updates.example/idlehive';

describe('planUpdates', () => {
  it.each<[string, Partial<UpdateFacts>, UpdatePlan]>([
    [
      'a packaged app with nothing configured (the default: publish is null)',
      {},
      {
        check: false,
        reason: 'no update feed is configured (updateFeedUrl, or publish in electron-builder.yml)',
      },
    ],
    ['the feed built into the installer', { hasBuiltInFeed: true }, { check: true, feed: { kind: 'built-in' } }],
    ['the owner’s feed', { feedUrlSetting: FEED }, { check: true, feed: { kind: 'setting', url: FEED } }],
    [
      'the owner’s feed over the built-in one',
      { feedUrlSetting: FEED, hasBuiltInFeed: true },
      { check: true, feed: { kind: 'setting', url: FEED } },
    ],
    [
      'a plain-http feed is never used (falls back to the built-in one)',
      { feedUrlSetting: 'http://updates.example/idlehive', hasBuiltInFeed: true },
      { check: true, feed: { kind: 'built-in' } },
    ],
    [
      'a development run, even with both feeds',
      { isPackaged: false, feedUrlSetting: FEED, hasBuiltInFeed: true },
      { check: false, reason: 'a development run has no installer to update' },
    ],
    ['macOS', { platform: 'darwin', hasBuiltInFeed: true }, { check: true, feed: { kind: 'built-in' } }],
    [
      'an AppImage',
      { platform: 'linux', appImagePath: '/home/a/Idlehive.AppImage', hasBuiltInFeed: true },
      { check: true, feed: { kind: 'built-in' } },
    ],
    [
      'a deb package',
      { platform: 'linux', linuxPackageType: 'deb\n', feedUrlSetting: FEED },
      { check: true, feed: { kind: 'setting', url: FEED } },
    ],
    [
      'an unpacked Linux build (neither AppImage nor package)',
      { platform: 'linux', hasBuiltInFeed: true, feedUrlSetting: FEED },
      { check: false, reason: 'this Linux install is neither an AppImage nor a package Idlehive can update' },
    ],
    [
      'a Linux package type electron-updater does not know',
      { platform: 'linux', linuxPackageType: 'snap', hasBuiltInFeed: true },
      { check: false, reason: 'this Linux install is neither an AppImage nor a package Idlehive can update' },
    ],
  ])('%s', (_name, facts, plan) => {
    expect(planUpdates({ ...PACKAGED_WINDOWS, ...facts })).toEqual(plan);
  });
});

describe('updatePlanKey', () => {
  it('is equal exactly when the updater would be configured the same way', () => {
    const keys = [
      updatePlanKey({ check: false, reason: 'a' }),
      updatePlanKey({ check: true, feed: { kind: 'built-in' } }),
      updatePlanKey({ check: true, feed: { kind: 'setting', url: FEED } }),
      updatePlanKey({ check: true, feed: { kind: 'setting', url: `${FEED}/beta` } }),
    ];
    expect(new Set(keys).size).toBe(4);
    expect(updatePlanKey({ check: false, reason: 'b' })).toBe(keys[0]);
  });
});
