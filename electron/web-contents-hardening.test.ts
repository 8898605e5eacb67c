import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { hardenSession, hardenWebContents } from './web-contents-hardening.ts';

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

/** Enough of a webContents to emit its navigation events and keep the window-open handler. */
function fakeContents() {
  const emitter = new EventEmitter();
  let windowOpenHandler: WindowOpenHandler | null = null;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (handler: WindowOpenHandler) => {
      windowOpenHandler = handler;
    },
  });
  const openWindow = (url: string) => {
    if (windowOpenHandler === null) throw new Error('no window-open handler');
    return windowOpenHandler({ url });
  };
  return { contents: contents as unknown as WebContents, emitter, openWindow };
}

function navigationEvent(url: string) {
  return { url, preventDefault: vi.fn() };
}

describe('hardenWebContents', () => {
  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s: stops foreign URLs only', (eventName) => {
    const { contents, emitter } = fakeContents();
    hardenWebContents(contents, vi.fn());
    const foreign = navigationEvent('https://evil.example/');
    emitter.emit(eventName, foreign);
    expect(foreign.preventDefault).toHaveBeenCalled();
    const lookAlike = navigationEvent('app://idlehive.evil.com/');
    emitter.emit(eventName, lookAlike);
    expect(lookAlike.preventDefault).toHaveBeenCalled();
    const own = navigationEvent('app://idlehive/index.html');
    emitter.emit(eventName, own);
    expect(own.preventDefault).not.toHaveBeenCalled();
  });

  it('refuses every <webview>', () => {
    const { contents, emitter } = fakeContents();
    hardenWebContents(contents, vi.fn());
    const event = { preventDefault: vi.fn() };
    emitter.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('denies new windows, opening only allowed https links in the browser', () => {
    const { contents, openWindow } = fakeContents();
    const openExternal = vi.fn();
    hardenWebContents(contents, openExternal);
    expect(openWindow('https://github.com/idlehive')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://github.com/idlehive');
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://idlehive/index.html', 'javascript:1']) {
      expect(openWindow(url)).toEqual({ action: 'deny' });
    }
    expect(openExternal).toHaveBeenCalledTimes(1);
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (handler: never) => {
        handlers.request = handler;
      },
      setPermissionCheckHandler: (handler: never) => {
        handlers.check = handler;
      },
      setDevicePermissionHandler: (handler: never) => {
        handlers.device = handler;
      },
    };
    hardenSession(session as unknown as Session);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      const callback = vi.fn();
      (handlers.request as (...args: unknown[]) => void)({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect((handlers.check as (...args: unknown[]) => boolean)(null, permission, 'app://idlehive', {})).toBe(false);
    }
    expect((handlers.device as (...args: unknown[]) => boolean)({})).toBe(false);
  });
});
