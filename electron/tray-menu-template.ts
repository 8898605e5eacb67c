/**
 * Turns the pure tray menu into Electron's menu template, wiring each action
 * id to one callback. Kept apart from tray-controller.ts so it is tested
 * without creating a Tray.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayMenuItem } from './tray-menu.ts';

export function toMenuTemplate(
  items: readonly TrayMenuItem[],
  onAction: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.kind === 'separator') return { type: 'separator' };
    if (item.kind === 'submenu') {
      return { label: item.label, enabled: item.enabled, submenu: toMenuTemplate(item.items, onAction) };
    }
    const { action } = item;
    return action === undefined
      ? { label: item.label, enabled: item.enabled }
      : { label: item.label, enabled: item.enabled, click: () => onAction(action) };
  });
}
