/**
 * The agent as the desktop app starts it: `utilityProcess.fork` of the built
 * dist/agent/main.js (electron/agent-process.ts). The home comes from
 * IDLEHIVE_HOME, which main always sets, and the embedded network, if any,
 * from its environment variables (agent/embedded-network.ts). SIGTERM stops it
 * cleanly, as for `idlehive agent`; on Windows, where a utility process is
 * ended without a signal, main also posts `{ type: 'stop' }` first.
 */
import { runAgentInForeground } from './cli/agent-command.ts';
import { resolveHome } from './home.ts';

interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
}

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
parentPort?.on('message', ({ data }) => {
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'stop') {
    process.emit('SIGTERM');
  }
});

await runAgentInForeground({ home: resolveHome(undefined), quiet: true });
