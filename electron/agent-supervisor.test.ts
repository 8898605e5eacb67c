import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AgentChild, createAgentSupervisor } from './agent-supervisor.ts';

interface FakeChild extends AgentChild {
  exit(code: number): void;
  killed: boolean;
}

function fakeChild(pid: number, exitsOnKill = true): FakeChild {
  const listeners: ((code: number) => void)[] = [];
  const child: FakeChild = {
    pid,
    killed: false,
    kill() {
      child.killed = true;
      if (exitsOnKill) queueMicrotask(() => child.exit(0));
      return true;
    },
    onExit: (listener) => listeners.push(listener),
    exit: (code) => {
      for (const listener of listeners.splice(0)) listener(code);
    },
  };
  return child;
}

describe('createAgentSupervisor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup(options: { exitsOnKill?: boolean } = {}) {
    const children: FakeChild[] = [];
    const onGiveUp = vi.fn();
    const supervisor = createAgentSupervisor({
      fork: () => {
        const child = fakeChild(100 + children.length, options.exitsOnKill);
        children.push(child);
        return child;
      },
      now: () => Date.now(),
      onGiveUp,
      log: () => {},
    });
    return { supervisor, children, onGiveUp };
  }

  it('starts one agent, once', () => {
    const { supervisor, children } = setup();
    supervisor.start();
    supervisor.start();
    expect(children).toHaveLength(1);
    expect(supervisor.isActive).toBe(true);
    expect(supervisor.pid).toBe(100);
  });

  it('restarts an agent that exits on its own, after the policy’s delay', () => {
    const { supervisor, children } = setup();
    supervisor.start();
    children[0]?.exit(1);
    expect(supervisor.pid).toBeUndefined();
    vi.advanceTimersByTime(999);
    expect(children).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(children).toHaveLength(2);
    expect(supervisor.pid).toBe(101);
  });

  it('gives up after a crash loop and says why', () => {
    const { supervisor, children, onGiveUp } = setup();
    supervisor.start();
    for (let i = 0; i < 5; i++) {
      children.at(-1)?.exit(1);
      vi.advanceTimersByTime(10_000);
    }
    expect(children).toHaveLength(5);
    expect(onGiveUp).toHaveBeenCalledTimes(1);
    expect(onGiveUp.mock.calls[0]?.[0]).toMatch(/keeps stopping/);
    expect(supervisor.isActive).toBe(false);
  });

  it('stop() kills the agent, waits for its exit and does not restart it', async () => {
    const { supervisor, children } = setup();
    supervisor.start();
    await supervisor.stop();
    expect(children[0]?.killed).toBe(true);
    expect(supervisor.isActive).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(children).toHaveLength(1);
  });

  it('stop() cancels a pending restart', async () => {
    const { supervisor, children } = setup();
    supervisor.start();
    children[0]?.exit(1);
    await supervisor.stop();
    vi.advanceTimersByTime(60_000);
    expect(children).toHaveLength(1);
  });

  it('stop() gives up waiting after the timeout when the agent hangs', async () => {
    const { supervisor } = setup({ exitsOnKill: false });
    supervisor.start();
    const stopping = supervisor.stop(5000);
    vi.advanceTimersByTime(5000);
    await expect(stopping).resolves.toBeUndefined();
  });
});
