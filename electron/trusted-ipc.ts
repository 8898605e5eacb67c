/**
 * The one way main answers the renderer (GitHub Desktop's ipc-main.ts idea):
 * every handler is registered through `handleTrusted`, which checks that the
 * request comes from a frame showing app://idlehive before the handler runs.
 * A page that got into a frame somehow, or a navigation we failed to stop,
 * cannot reach the agent's token this way.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { InvokeArgs, InvokeChannel, InvokeResult } from './ipc-contract.ts';
import { isAppUrl } from './navigation-policy.ts';

/** The sender frame's URL must be the bundled dashboard; an unknown or destroyed frame is not trusted. */
export function isTrustedSender(frameUrl: string | null | undefined): boolean {
  return isAppUrl(frameUrl);
}

export class UntrustedSenderError extends Error {
  constructor(channel: string) {
    super(`Refused ${channel}: the request did not come from the Idlehive dashboard.`);
    this.name = 'UntrustedSenderError';
  }
}

/** The frame's URL, or null when it has gone (senderFrame is null, or throws, after the frame was destroyed). */
function senderUrl(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): string | null {
  try {
    return event.senderFrame?.url ?? null;
  } catch {
    return null;
  }
}

export type HandleTrusted = <C extends InvokeChannel<unknown[], unknown>>(
  spec: C,
  handler: (...args: InvokeArgs<C>) => InvokeResult<C> | Promise<InvokeResult<C>>,
) => void;

export function createHandleTrusted(ipc: Pick<IpcMain, 'handle'>): HandleTrusted {
  return (spec, handler) => {
    ipc.handle(spec.channel, (event, ...args) => {
      if (!isTrustedSender(senderUrl(event))) throw new UntrustedSenderError(spec.channel);
      return handler(...(args as InvokeArgs<typeof spec>));
    });
  };
}
