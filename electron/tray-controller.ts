/**
 * The tray icon: its image, tooltip and menu follow the agent's status. All
 * decisions are in tray-menu.ts; this file only applies them to Electron.
 */
import { Menu, type NativeImage, nativeImage, Tray } from 'electron';
import type { Status } from '../agent/local-api/contract.ts';
import {
  buildTrayMenu,
  type TrayAction,
  type TrayContext,
  type TrayIconState,
  trayIconState,
  trayTooltip,
} from './tray-menu.ts';
import { toMenuTemplate } from './tray-menu-template.ts';

export interface TrayController {
  update(status: Status | null, context: TrayContext): void;
  destroy(): void;
}

export function createTrayController(options: {
  iconPath(state: TrayIconState): string;
  onAction(action: TrayAction): void;
  /** The menu's "today" (earnings) follows this clock. */
  clock(): number;
}): TrayController {
  const images = new Map<TrayIconState, NativeImage>();
  const imageFor = (state: TrayIconState) => {
    let image = images.get(state);
    if (image === undefined) {
      image = nativeImage.createFromPath(options.iconPath(state));
      images.set(state, image);
    }
    return image;
  };

  const tray = new Tray(imageFor('waiting'));
  // Windows and most Linux panels open the dashboard on a plain click; the menu stays on right-click.
  tray.on('click', () => options.onAction('open-dashboard'));
  let shownIcon: TrayIconState | null = null;

  const controller: TrayController = {
    update(status, context) {
      const icon = trayIconState(status, context);
      if (icon !== shownIcon) {
        tray.setImage(imageFor(icon));
        shownIcon = icon;
      }
      const now = options.clock();
      tray.setToolTip(trayTooltip(status, context, now));
      tray.setContextMenu(
        Menu.buildFromTemplate(toMenuTemplate(buildTrayMenu(status, context, now), options.onAction)),
      );
    },
    destroy: () => tray.destroy(),
  };
  controller.update(null, {});
  return controller;
}
