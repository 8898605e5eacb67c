/**
 * Runs the agent as a child of the desktop app and restarts it when it exits
 * on its own (agent-restart-policy decides when to stop trying). Knows nothing
 * of Electron: main passes a `fork` that wraps utilityProcess.fork.
 */
import { decideRestart, type RestartDecision } from './agent-restart-policy.ts';

/** The part of a utilityProcess the supervisor uses. */
export interface AgentChild {
  readonly pid: number | undefined;
  /** Asks the agent to stop (SIGTERM on POSIX, which it handles by shutting down cleanly). */
  kill(): boolean;
  onExit(listener: (code: number) => void): void;
}

export interface AgentSupervisorOptions {
  fork(): AgentChild;
  now?: () => number;
  decide?: (exitTimes: readonly number[], now: number) => RestartDecision;
  /** Called once when restarting stopped, with a sentence for the owner. */
  onGiveUp(message: string): void;
  log(message: string): void;
}

export interface AgentSupervisor {
  start(): void;
  /** Stops the agent and waits for it to exit, at most `timeoutMs`. No restart follows. */
  stop(timeoutMs?: number): Promise<void>;
  /** True from start() until stop() or giving up, including while a restart is pending. */
  readonly isActive: boolean;
  readonly pid: number | undefined;
}

export function createAgentSupervisor(options: AgentSupervisorOptions): AgentSupervisor {
  const now = options.now ?? Date.now;
  const decide = options.decide ?? decideRestart;
  let child: AgentChild | null = null;
  let childExited: Promise<void> = Promise.resolve();
  let active = false;
  let restartTimer: ReturnType<typeof setTimeout> | null = null;
  const exitTimes: number[] = [];

  const spawn = () => {
    const current = options.fork();
    child = current;
    childExited = new Promise((resolve) => {
      current.onExit((code) => {
        if (child === current) child = null;
        resolve();
        if (!active) return;
        exitTimes.push(now());
        const decision = decide(exitTimes, now());
        if (decision.kind === 'give-up') {
          active = false;
          options.onGiveUp(
            'The Idlehive agent keeps stopping. Its log is in the logs folder of the Idlehive data folder; restart Idlehive to try again.',
          );
          return;
        }
        options.log(`agent exited with code ${code}; restarting in ${decision.delayMs} ms`);
        restartTimer = setTimeout(() => {
          restartTimer = null;
          if (active) spawn();
        }, decision.delayMs);
      });
    });
  };

  return {
    start() {
      if (active) return;
      active = true;
      spawn();
    },
    async stop(timeoutMs = 5000) {
      active = false;
      if (restartTimer !== null) {
        clearTimeout(restartTimer);
        restartTimer = null;
      }
      if (child === null) return;
      child.kill();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([childExited, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
    get isActive() {
      return active;
    },
    get pid() {
      return child?.pid;
    },
  };
}
