/**
 * Every IPC channel between Electron main and the preload, declared once
 * (Mullvad's ipc-schema style). Main registers handlers from these entries
 * through `handleTrusted`, the preload calls them through `invokeChannel`; the
 * channel name and its argument and result types are written only here.
 *
 * Deliberately free of runtime dependencies: the preload is bundled into one
 * sandboxed script and should stay a few lines.
 */

/** Where the renderer finds the agent's local API, handed over by main after it read the endpoint file. */
export interface AgentConnection {
  /** ws://127.0.0.1:PORT/api */
  url: string;
  token: string;
}

/** An invoke channel: the renderer asks, main answers. A and R exist only for the type checker. */
export interface InvokeChannel<A extends unknown[], R> {
  readonly kind: 'invoke';
  readonly channel: string;
  /** Never set; carries the argument and result types. */
  readonly types?: { args: A; result: R };
}

function invoke<A extends unknown[], R>(channel: string): InvokeChannel<A, R> {
  return { kind: 'invoke', channel };
}

/** What only the desktop shell knows, for the Settings screen. */
export interface DesktopFacts {
  /** The folder the agent writes its logs to (main knows the data folder; a browser page does not). */
  logFolder: string;
}

export const ipcContract = {
  agent: {
    getConnection: invoke<[], AgentConnection>('idlehive:agent:get-connection'),
  },
  desktop: {
    getFacts: invoke<[], DesktopFacts>('idlehive:desktop:get-facts'),
    /** Opens the log folder in the file manager; takes no argument, so the page cannot choose what opens. */
    openLogFolder: invoke<[], void>('idlehive:desktop:open-log-folder'),
  },
} as const;

export type InvokeArgs<C> = C extends InvokeChannel<infer A, unknown> ? A : never;
export type InvokeResult<C> = C extends InvokeChannel<unknown[], infer R> ? R : never;

/** The name the preload exposes the bridge under: `window.idlehive`. */
export const BRIDGE_KEY = 'idlehive';

/** Everything the renderer can reach in main: the way to the agent, and the log folder. */
export interface IdlehiveBridge {
  getAgentConnection(): Promise<AgentConnection>;
  getDesktopFacts(): Promise<DesktopFacts>;
  openLogFolder(): Promise<void>;
}
