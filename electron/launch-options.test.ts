import { describe, expect, it } from 'vitest';
import { shouldStartHidden } from './launch-options.ts';

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
