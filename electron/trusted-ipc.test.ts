import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { ipcContract } from './ipc-contract.ts';
import { createHandleTrusted, isTrustedSender, UntrustedSenderError } from './trusted-ipc.ts';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

/** A stand-in for ipcMain that records handlers so the test can invoke them like Electron would. */
function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle: (channel: string, listener: Listener) => {
      handlers.set(channel, listener);
    },
  };
}

function eventFrom(frame: { url: string } | null | 'destroyed'): IpcMainInvokeEvent {
  const event = {
    get senderFrame() {
      if (frame === 'destroyed') throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      return frame;
    },
  };
  return event as unknown as IpcMainInvokeEvent;
}

describe('isTrustedSender', () => {
  it('trusts only frames showing app://idlehive', () => {
    expect(isTrustedSender('app://idlehive/index.html')).toBe(true);
    expect(isTrustedSender('app://idlehive/')).toBe(true);
  });

  it.each([
    'app://idlehive.evil.com/index.html',
    'app://idlehive@evil/index.html',
    'http://127.0.0.1:4317/',
    'file:///app/dist/renderer/index.html',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    '',
    null,
    undefined,
  ])('does not trust %s', (url) => {
    expect(isTrustedSender(url)).toBe(false);
  });
});

describe('createHandleTrusted', () => {
  const spec = ipcContract.agent.getConnection;
  const answer = { url: 'ws://127.0.0.1:4317/api', token: 'tok' };

  function setup() {
    const ipc = fakeIpcMain();
    const handler = vi.fn(async () => answer);
    createHandleTrusted(ipc as never)(spec, handler);
    const listener = ipc.handlers.get(spec.channel);
    if (!listener) throw new Error('no handler registered');
    return { listener, handler };
  }

  it('registers on the contract’s channel and runs the handler for the dashboard', async () => {
    const { listener, handler } = setup();
    await expect(listener(eventFrom({ url: 'app://idlehive/index.html' }))).resolves.toEqual(answer);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a foreign page', { url: 'https://evil.example/' }],
    ['a look-alike origin', { url: 'app://idlehive.evil.com/' }],
    ['a missing frame', null],
    ['a destroyed frame', 'destroyed'],
  ] as const)('refuses %s without running the handler', (_name, frame) => {
    const { listener, handler } = setup();
    expect(() => listener(eventFrom(frame))).toThrow(UntrustedSenderError);
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes the renderer’s arguments through', async () => {
    const ipc = fakeIpcMain();
    const handler = vi.fn((...args: unknown[]) => args);
    const echo = { kind: 'invoke', channel: 'test:echo' } as const;
    createHandleTrusted(ipc as never)(echo as never, handler as never);
    await ipc.handlers.get('test:echo')?.(eventFrom({ url: 'app://idlehive/' }), 1, 'two');
    expect(handler).toHaveBeenCalledWith(1, 'two');
  });
});
