/**
 * The preload's bridge, present only inside the desktop app. Its absence is
 * how the renderer knows it runs in a plain browser.
 */
import type { IdlehiveBridge } from '../../electron/ipc-contract.ts';

declare global {
  interface Window {
    idlehive?: IdlehiveBridge;
  }
}

export function desktopBridge(): IdlehiveBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.idlehive;
}
