/**
 * Starts the agent with utilityProcess.fork: a Node child of the desktop app
 * that needs neither the RunAsNode fuse nor a separate Node install. Its home
 * is passed explicitly so the child and main always agree on it.
 */
import { utilityProcess } from 'electron';
import { APP_RESOURCES_ENV } from '../native/sandbox/worker-runtime.ts';
import type { AgentChild } from './agent-supervisor.ts';

/**
 * appResources: the packaged app's resources folder (null unpackaged); the agent finds the Node binary
 * that runs its sandboxed job workers there (native/sandbox/worker-runtime.ts).
 */
export function forkAgent(entry: string, home: string, appResources: string | null): AgentChild {
  const env: NodeJS.ProcessEnv = { ...process.env, IDLEHIVE_HOME: home };
  delete env[APP_RESOURCES_ENV];
  if (appResources !== null) env[APP_RESOURCES_ENV] = appResources;
  const child = utilityProcess.fork(entry, [], {
    serviceName: 'Idlehive agent',
    env,
    // The agent logs to a file in its home; its stdout/stderr only matter in a terminal during development.
    stdio: 'inherit',
  });
  return {
    get pid() {
      return child.pid;
    },
    kill: () => {
      // Windows ends a utility process without a signal the agent could handle, so it is asked first
      // (agent/main.ts); elsewhere SIGTERM is that request. The supervisor waits for the exit either way.
      if (process.platform === 'win32') {
        child.postMessage({ type: 'stop' });
        return true;
      }
      return child.kill();
    },
    onExit: (listener) => {
      child.once('exit', listener);
    },
  };
}
