import { describe, expect, it } from 'vitest';
import { checkExcludedApps, EXCLUDED_APP_LINGER_MS, normalizeProcessName } from './excluded-apps.ts';
import { SECOND, T0 } from './test-fixtures.ts';

describe('normalizeProcessName', () => {
  it.each([
    ['Blender', 'blender'],
    ['blender.exe', 'blender'],
    ['C:\\Program Files\\Blender\\Blender.EXE', 'blender'],
    ['/Applications/Blender.app', 'blender'],
    ['  obs64.exe ', 'obs64'],
  ])('%s -> %s', (name, normalized) => {
    expect(normalizeProcessName(name)).toBe(normalized);
  });
});

describe('checkExcludedApps', () => {
  const apps = ['Blender', 'Steam'];

  it('is clear with no apps listed, even when the process list is unknown', () => {
    expect(checkExcludedApps(null, [], null, T0)).toEqual({ status: { kind: 'clear' }, sighting: null });
  });

  it('sees a listed app whatever its spelling, and names it as the owner wrote it', () => {
    expect(checkExcludedApps(null, apps, ['init', 'steam.exe'], T0)).toEqual({
      status: { kind: 'running', name: 'Steam' },
      sighting: { name: 'Steam', lastSeenAt: T0 },
    });
  });

  it('sees a long name Linux cut to 15 characters', () => {
    const status = checkExcludedApps(null, ['blender-softwaregl'], ['blender-softwar'], T0).status;
    expect(status).toEqual({ kind: 'running', name: 'blender-softwaregl' });
  });

  it('does not match a mere prefix of a short name', () => {
    expect(checkExcludedApps(null, ['blender'], ['blend'], T0).status).toEqual({ kind: 'clear' });
  });

  it('holds for 15 s after the app exits, then clears', () => {
    const seen = checkExcludedApps(null, apps, ['blender'], T0).sighting;
    expect(checkExcludedApps(seen, apps, [], T0 + 5 * SECOND).status).toEqual({
      kind: 'closed-recently',
      name: 'Blender',
      lastSeenAt: T0,
      resumesAt: T0 + EXCLUDED_APP_LINGER_MS,
    });
    expect(checkExcludedApps(seen, apps, [], T0 + EXCLUDED_APP_LINGER_MS - 1).status.kind).toBe('closed-recently');
    expect(checkExcludedApps(seen, apps, [], T0 + EXCLUDED_APP_LINGER_MS)).toEqual({
      status: { kind: 'clear' },
      sighting: null,
    });
  });

  it('restarts the 15 s when the app comes back', () => {
    const first = checkExcludedApps(null, apps, ['blender'], T0).sighting;
    const again = checkExcludedApps(first, apps, ['blender'], T0 + 10 * SECOND).sighting;
    expect(checkExcludedApps(again, apps, [], T0 + 20 * SECOND).status.kind).toBe('closed-recently');
  });

  it('lets go at once of an app the owner removed from the list', () => {
    const seen = checkExcludedApps(null, apps, ['blender'], T0).sighting;
    expect(checkExcludedApps(seen, ['Steam'], [], T0 + SECOND).status).toEqual({ kind: 'clear' });
  });

  it('is unknown when the process list cannot be read, keeping what it saw', () => {
    const seen = checkExcludedApps(null, apps, ['blender'], T0).sighting;
    expect(checkExcludedApps(seen, apps, null, T0 + SECOND)).toEqual({ status: { kind: 'unknown' }, sighting: seen });
  });
});
