import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ShellSignals } from '../agent/local-api/contract.ts';
import { startShellSignalReporter } from './shell-signal-reporter.ts';

const signals: ShellSignals = { hasInputSource: true, idleSeconds: 3, isOnBattery: false };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** An agent that answers every report with the cadence the test sets. */
function agent(initialEveryMs: number) {
  const sent: number[] = [];
  let everyMs = initialEveryMs;
  let isConnected = true;
  let pending: Array<() => void> | null = null;
  return {
    sent,
    setCadence: (ms: number) => {
      everyMs = ms;
    },
    setConnected: (value: boolean) => {
      isConnected = value;
    },
    /** From now on answers wait until release(). */
    hold: () => {
      pending = [];
    },
    release: () => {
      const waiting = pending ?? [];
      pending = null;
      for (const resolve of waiting) resolve();
    },
    send: (_signals: ShellSignals) => {
      if (!isConnected) return null;
      sent.push(Date.now());
      const answer = { reportEveryMs: everyMs };
      if (pending !== null) {
        const queue = pending;
        return new Promise<{ reportEveryMs: number }>((resolve) => queue.push(() => resolve(answer)));
      }
      return Promise.resolve(answer);
    },
  };
}

const start = () => Date.now();

describe('startShellSignalReporter', () => {
  it('reports at once, then every 2 s while the agent asks for 2 s', async () => {
    const fake = agent(2000);
    const t0 = start();
    const reporter = startShellSignalReporter({ read: () => signals, send: fake.send });
    await vi.advanceTimersByTimeAsync(6100);
    expect(fake.sent.map((at) => at - t0)).toEqual([0, 2000, 4000, 6000]);
    reporter.stop();
  });

  it('speeds up to 250 ms when the answer says so (earning), and slows down again', async () => {
    const fake = agent(250);
    const t0 = start();
    const reporter = startShellSignalReporter({ read: () => signals, send: fake.send });
    await vi.advanceTimersByTimeAsync(1000);
    expect(fake.sent.map((at) => at - t0)).toEqual([0, 250, 500, 750, 1000]);
    fake.setCadence(2000);
    await vi.advanceTimersByTimeAsync(2250);
    expect(fake.sent.map((at) => at - t0)).toEqual([0, 250, 500, 750, 1000, 1250, 3250]);
    reporter.stop();
  });

  it('falls back to 2 s while there is no connection, and sends what `read` gives each time', async () => {
    const fake = agent(250);
    fake.setConnected(false);
    const read = vi.fn(() => signals);
    const t0 = start();
    const reporter = startShellSignalReporter({ read, send: fake.send });
    await vi.advanceTimersByTimeAsync(3999);
    expect(fake.sent).toEqual([]);
    expect(read).toHaveBeenCalledTimes(2);
    fake.setConnected(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.sent.map((at) => at - t0)).toEqual([4000]);
    reporter.stop();
  });

  it('falls back to 2 s after a failed report', async () => {
    const t0 = start();
    const sent: number[] = [];
    const reporter = startShellSignalReporter({
      read: () => signals,
      send: () => {
        sent.push(Date.now() - t0);
        return Promise.reject(new Error('disconnected'));
      },
    });
    await vi.advanceTimersByTimeAsync(4000);
    expect(sent).toEqual([0, 2000, 4000]);
    reporter.stop();
  });

  it('followCadence reports at once when the status asks for a faster cadence, not for a slower one', async () => {
    const fake = agent(2000);
    const t0 = start();
    const reporter = startShellSignalReporter({ read: () => signals, send: fake.send });
    await vi.advanceTimersByTimeAsync(500);
    reporter.followCadence(2000);
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.sent).toHaveLength(1);
    fake.setCadence(250);
    reporter.followCadence(250);
    await vi.advanceTimersByTimeAsync(250);
    expect(fake.sent.map((at) => at - t0)).toEqual([0, 500, 750]);
    reporter.stop();
  });

  it('never has two reports in flight; one asked for meanwhile goes out after the answer', async () => {
    const fake = agent(2000);
    fake.hold();
    const t0 = start();
    const reporter = startShellSignalReporter({ read: () => signals, send: fake.send });
    reporter.reportNow();
    reporter.reportNow();
    await vi.advanceTimersByTimeAsync(100);
    expect(fake.sent).toHaveLength(1);
    fake.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.sent.map((at) => at - t0)).toEqual([0, 100]);
    reporter.stop();
  });

  it('stop() ends the reports', async () => {
    const fake = agent(250);
    const reporter = startShellSignalReporter({ read: () => signals, send: fake.send });
    await vi.advanceTimersByTimeAsync(0);
    reporter.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(fake.sent).toHaveLength(1);
  });
});
