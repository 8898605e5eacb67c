/**
 * The whole surface the dashboard gets from Electron: where the agent is, and
 * the log folder (to show and open). No Node, no ipcRenderer, no generic invoke is
 * exposed; main checks the sender of every call (trusted-ipc.ts).
 *
 * Sandboxed preloads cannot load other files, so electron/preload.vite.config.ts
 * bundles this with the IPC contract into dist/electron/preload.cjs.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  BRIDGE_KEY,
  type IdlehiveBridge,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResult,
  ipcContract,
} from './ipc-contract.ts';

function invokeChannel<C extends InvokeChannel<unknown[], unknown>>(
  spec: C,
  ...args: InvokeArgs<C>
): Promise<InvokeResult<C>> {
  return ipcRenderer.invoke(spec.channel, ...args);
}

const bridge: IdlehiveBridge = {
  getAgentConnection: () => invokeChannel(ipcContract.agent.getConnection),
  getDesktopFacts: () => invokeChannel(ipcContract.desktop.getFacts),
  openLogFolder: () => invokeChannel(ipcContract.desktop.openLogFolder),
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
