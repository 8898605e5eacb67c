import { describe, expect, it } from 'vitest';
import { shouldShowOnSecondLaunch, shouldStartHidden, windowCloseOutcome } from './launch-options.ts';

describe('shouldStartHidden', () => {
  it('shows the dashboard when the owner starts the app', () => {
    expect(shouldStartHidden(['/opt/Idlehive/idlehive'], false)).toBe(false);
  });

  it('stays in the tray when started at login or with --hidden', () => {
    expect(shouldStartHidden(['/opt/Idlehive/idlehive'], true)).toBe(true);
    expect(shouldStartHidden(['/opt/Idlehive/idlehive', '--hidden'], false)).toBe(true);
  });

  it('does not mistake a similar argument for the flag', () => {
    expect(shouldStartHidden(['/opt/Idlehive/idlehive', '--hidden-files'], false)).toBe(false);
  });
});

describe('shouldShowOnSecondLaunch', () => {
  it.each([
    ['the owner opens Idlehive again', ['/opt/Idlehive/idlehive'], true],
    ['a development run opened again', ['/usr/lib/electron', '/work/idlehive'], true],
    ['the login item fires while Idlehive already runs', ['/opt/Idlehive/idlehive', '--hidden'], false],
    ['a similar argument is not the flag', ['/opt/Idlehive/idlehive', '--hidden-files'], true],
  ])('%s: %s', (_name, argv, shows) => {
    expect(shouldShowOnSecondLaunch(argv)).toBe(shows);
  });
});

describe('windowCloseOutcome', () => {
  it('hides the window into the tray, and closes it only while quitting', () => {
    expect(windowCloseOutcome(false)).toBe('hide-to-tray');
    expect(windowCloseOutcome(true)).toBe('close');
  });
});
