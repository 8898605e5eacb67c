/**
 * Rules every web page in the app lives under, applied to each webContents
 * as it is created (so a window added later cannot forget them) and to the
 * session: navigation only within app://idlehive, no new windows (allowed
 * https links open in the owner's browser instead), no <webview>, and every
 * permission request denied: the dashboard needs none.
 */
import type { Session, WebContents } from 'electron';
import { isAllowedExternalUrl, isAllowedNavigation } from './navigation-policy.ts';

export function hardenWebContents(contents: WebContents, openExternal: (url: string) => void): void {
  const blockForeign = (event: { url: string; preventDefault(): void }) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', blockForeign);
  contents.on('will-frame-navigate', blockForeign);
  contents.on('will-redirect', blockForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
