import { describe, expect, it, vi } from 'vitest';
import { statusFixture } from '../renderer/src/test-support/fixtures.ts';
import { buildTrayMenu } from './tray-menu.ts';
import { toMenuTemplate } from './tray-menu-template.ts';

describe('toMenuTemplate', () => {
  it('maps separators, disabled labels and submenus, and wires clicks to action ids', () => {
    const onAction = vi.fn();
    const template = toMenuTemplate(
      buildTrayMenu(statusFixture({ state: 'earning' }), {}, Date.UTC(2026, 2, 4)),
      onAction,
    );
    expect(template[0]).toEqual({ label: 'Earning', enabled: false });
    expect(template[0]).not.toHaveProperty('click');
    expect(template[2]).toEqual({ type: 'separator' });
    const pause = template[3];
    expect(pause?.label).toBe('Pause earning');
    const submenu = pause?.submenu as { label?: string; type?: string; click(): void }[];
    expect(submenu.map((item) => item.label ?? item.type)).toEqual([
      'For 15 minutes',
      'For 1 hour',
      'Until tomorrow',
      'Until I resume',
      'separator',
      'After the current job',
    ]);
    submenu[1]?.click();
    expect(onAction).toHaveBeenCalledWith('pause-1h');
    const earnNow = template[4];
    expect(earnNow?.label).toBe('Earn now');
    const earnChoices = earnNow?.submenu as { click(): void }[];
    earnChoices[2]?.click();
    expect(onAction).toHaveBeenLastCalledWith('earn-2h');
    (template.at(-1) as { click(): void }).click();
    expect(onAction).toHaveBeenLastCalledWith('quit');
  });
});
